from django.core.management.base import BaseCommand
from django.db import transaction

from zhicheng.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from zhicheng.achievements import demo as achievements_demo
from zhicheng.applications import demo as applications_demo
from zhicheng.blacklist import demo as blacklist_demo
from zhicheng.catalog import demo as catalog_demo
from zhicheng.certificates import demo as certificates_demo
from zhicheng.committees import demo as committees_demo
from zhicheng.experts import demo as experts_demo
from zhicheng.filings import demo as filings_demo
from zhicheng.meetings import demo as meetings_demo
from zhicheng.orgs.demo import load_demo_organizations
from zhicheng.persons import demo as persons_demo
from zhicheng.plans import demo as plans_demo
from zhicheng.quotas import demo as quotas_demo
from zhicheng.reviewforms import demo as reviewforms_demo
from zhicheng.routing import demo as routing_demo
from zhicheng.units import demo as units_demo
from zhicheng.windows import demo as windows_demo

# Each module has ``load(orgs: dict[str, Organization]) -> None``, idempotent; run in order.
DEMO_MODULES = [
    catalog_demo,
    committees_demo,
    routing_demo,
    persons_demo,
    blacklist_demo,
    windows_demo,  # before the applications: their submissions fall in its windows
    applications_demo,
    certificates_demo,  # after the applications: it issues a title held there
    reviewforms_demo,  # after the applications: a scan of one under review
    quotas_demo,
    plans_demo,
    experts_demo,  # after the plans: it draws the panel of an approved one
    meetings_demo,  # after the experts: it holds the meeting of a drawn plan
    filings_demo,  # after the experts: its plans' panels are drawn from the demo pool
    achievements_demo,  # after the applications: ticks the library into a demo draft
]
# 用人单位 (issue 14): after the others, which replay approvals from before 单位内部公示.
UNIT_DEMO_MODULES = [units_demo]


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，已存在的数据不变）"

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            orgs = load_demo_organizations()
            created = load_demo_accounts(orgs)
            with units_demo.historic_approvals():
                for module in DEMO_MODULES:
                    module.load(orgs)
            for module in UNIT_DEMO_MODULES:
                module.load(orgs)
        self.stdout.write(
            f"演示数据已就绪（新建账号 {len(created)} 个）。演示账号，密码均为 {DEMO_PASSWORD}："
        )
        for username, real_name, _org, roles, _staff in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<24} {real_name}（{'、'.join(r.label for r in roles)}）"
            )
