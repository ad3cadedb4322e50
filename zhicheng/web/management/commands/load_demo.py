from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from zhicheng.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from zhicheng.orgs.demo import load_demo_organizations

# Each module has ``load(orgs: dict[str, Organization]) -> None``, idempotent; run in order.
DEMO_MODULES: list[str] = [
    "zhicheng.catalog.demo",
    "zhicheng.committees.demo",
    "zhicheng.routing.demo",
    "zhicheng.persons.demo",
    "zhicheng.blacklist.demo",
    "zhicheng.applications.demo",
    "zhicheng.certificates.demo",  # after the applications: it issues a title held there
    "zhicheng.quotas.demo",
    "zhicheng.plans.demo",
]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，已存在的数据不变）"

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            orgs = load_demo_organizations()
            created = load_demo_accounts(orgs)
            for module_name in DEMO_MODULES:
                import_module(module_name).load(orgs)
        self.stdout.write(
            f"演示数据已就绪（新建账号 {len(created)} 个）。演示账号，密码均为 {DEMO_PASSWORD}："
        )
        for username, real_name, _org, roles, _staff in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<24} {real_name}（{'、'.join(r.label for r in roles)}）"
            )
