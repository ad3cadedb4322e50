"""Demo 职数申报 (1.22): unit_a's officer declares for last year and this year, so 职数申报查询
has rows for hr_province and hr_city right after ``make run``. Idempotent."""

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.quotas import services
from zhicheng.quotas.models import QuotaDeclaration

DEMO_COUNTS = {
    "senior_approved": 12,
    "senior_filled": 9,
    "senior_requested": 2,
    "intermediate_approved": 30,
    "intermediate_filled": 24,
    "intermediate_requested": 5,
}


def load(orgs) -> None:
    officer = User.objects.get(username="unit_a")
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        if QuotaDeclaration.objects.filter(organization=orgs["unit_a"], year=year).exists():
            continue
        services.quota_declaration_create(
            actor=officer,
            year=year,
            contact_name="王敏",
            contact_phone="025-52100000",
            note="按省人社厅核定的岗位设置方案申报",
            **DEMO_COUNTS,
        )
