"""Demo committee (idempotent): 江苏省工程技术高级职称评审委员会, the login of the existing demo user
``committee_eng`` (accounts.demo), managed by the province bureau, valid 3 years from the day the
demo is first loaded, with engineering specialties, organizer ``organizer_eng`` and two fees."""

from decimal import Decimal

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees import services
from zhicheng.committees.models import Committee, CommitteeLevel, FeeItem, validity_limit
from zhicheng.orgs.models import Organization

NAME = "江苏省工程技术高级职称评审委员会"
ACCOUNT = "committee_eng"
APPROVAL_NUMBER = "苏人社职〔2026〕1号"
SPECIALTY_CODES = ("0802", "0808", "0809", "0812", "0814")  # 机械, 电气, 电子, 计算机, 土木
FEES = ((FeeItem.REVIEW, Decimal("300.00")), (FeeItem.MATERIAL, Decimal("50.00")))


def load(orgs: dict[str, Organization]) -> None:
    actor = User.objects.get(username="hr_province")
    account = User.objects.get(username=ACCOUNT)
    committee = Committee.objects.filter(account=account).first()
    if committee is None:
        today = timezone.localdate()
        committee, _ = services.committee_create(
            actor=actor,
            name=NAME,
            level=CommitteeLevel.SENIOR,
            series=TitleSeries.objects.get(code="engineering"),
            approval_number=APPROVAL_NUMBER,
            valid_from=today,
            valid_until=validity_limit(today),
            organization=orgs["province"],
            existing_account=account,
        )
    if not committee.is_active:
        return
    linked = set(committee.specialty_links.values_list("specialty__code", flat=True))
    for specialty in Specialty.objects.filter(code__in=SPECIALTY_CODES).order_by("code"):
        if specialty.code not in linked:
            services.committee_specialty_add(actor=actor, committee=committee, specialty=specialty)
    if not committee.organizer_links.filter(organization=orgs["organizer_eng"]).exists():
        services.committee_organizer_add(
            actor=actor, committee=committee, organization=orgs["organizer_eng"]
        )
    for item, amount in FEES:
        if not committee.fees.filter(item=item).exists():
            services.fee_standard_create(actor=actor, committee=committee, item=item, amount=amount)
