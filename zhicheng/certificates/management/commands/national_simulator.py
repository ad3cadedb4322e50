"""``manage.py national_simulator``: the national platform of 证书报送人社部 (1.18) for
development and tests (``zhicheng.certificates.simulator``). The default target of the outbox
worker under DEBUG when ZHICHENG_NATIONAL_URL is unset (port 8765)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhicheng.certificates.simulator import Faults, NationalSimulator


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1:
        raise ValueError(value)
    return share


class Command(BaseCommand):
    help = "国家平台模拟服务：接收证书报送记录（按 Idempotency-Key 幂等），可模拟失败、超时、丢包"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--store",
            default=str(settings.VAR_DIR / "national_simulator.jsonl"),
            help="JSON-lines file of the received records (kept across restarts)",
        )
        parser.add_argument("--fail", type=_share, default=0.0, help="share of calls answered 503")
        parser.add_argument(
            "--timeout", type=_share, default=0.0, help="share of calls answered too late"
        )
        parser.add_argument(
            "--timeout-seconds", type=float, default=30.0, help="how late a timed-out answer is"
        )
        parser.add_argument(
            "--drop", type=_share, default=0.0, help="share of calls closed without an answer"
        )
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, **options):
        if options["fail"] + options["timeout"] + options["drop"] > 1:
            raise CommandError("--fail + --timeout + --drop must not exceed 1")
        faults = Faults(
            fail=options["fail"],
            timeout=options["timeout"],
            drop=options["drop"],
            timeout_seconds=options["timeout_seconds"],
            seed=options["seed"],
        )
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        simulator = NationalSimulator(
            host=options["host"], port=options["port"], store_path=options["store"], faults=faults
        )
        self.stdout.write(
            f"国家平台模拟服务 {simulator.url}（记录文件 {options['store']}，"
            f"已有 {simulator.store.counts['stored']} 条）"
        )
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.server.server_close()
