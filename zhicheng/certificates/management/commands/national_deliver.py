"""``manage.py national_deliver``: deliver the due 证书报送人社部 (1.18) outbox rows now, once or
in a loop — what the Huey periodic task does every minute, for operators and the reliability
test (several of these may run at once: rows are claimed with SKIP LOCKED)."""

import time

from django.core.management.base import BaseCommand

from zhicheng.certificates.services import national


class Command(BaseCommand):
    help = "立即报送到期的证书报送记录（--loop 持续运行）"

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="default: ZHICHENG_NATIONAL_URL")
        parser.add_argument("--loop", action="store_true", help="keep delivering until stopped")
        parser.add_argument("--limit", type=int, default=national.CLAIM_BATCH)
        parser.add_argument("--pause", type=float, default=0.2, help="seconds between rounds")

    def handle(self, *args, **options):
        while True:
            outcome = national.national_reports_deliver(
                url=options["url"], seconds=5, limit=options["limit"]
            )
            if options["verbosity"] > 1 or not options["loop"]:
                self.stdout.write(
                    f"已上报 {outcome.delivered}，稍后重试 {outcome.retrying}，"
                    f"失败 {outcome.failed}，重新排队 {outcome.released}"
                )
            if not options["loop"]:
                return
            time.sleep(options["pause"])
