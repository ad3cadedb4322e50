"""Demo issuing units (1.9): the province bureau and the Nanjing city bureau, created by the
demo province officer through the service; and a pool of certificate numbers (1.16) for each,
this year's 1–200; and the certificate of applicant_a's 助理工程师 (1.17), issued by hr_city
from the Nanjing unit — 查看证书 and /verify/ work right after ``make run``. Idempotent."""

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates import services
from zhicheng.certificates.models import CertificateNumberBatch, IssuingUnit, IssuingUnitStatus
from zhicheng.certificates.services import issuing
from zhicheng.titles import selectors as title_selectors

# organization key (orgs.demo) → code (region code + 2-digit sequence)
DEMO_ISSUING_UNITS = [("province", "01"), ("city_nj", "01")]
DEMO_POOL = (1, 200)


def load(orgs) -> None:
    actor = User.objects.get(username="hr_province")  # accounts are loaded first
    codes = [orgs[key].region_code + sequence for key, sequence in DEMO_ISSUING_UNITS]
    for (key, _), code in zip(DEMO_ISSUING_UNITS, codes, strict=True):
        org = orgs[key]
        if IssuingUnit.objects.filter(code=code).exists():
            continue
        if IssuingUnit.objects.filter(organization=org, status=IssuingUnitStatus.ACTIVE).exists():
            continue
        services.issuing_unit_create(actor=actor, organization=org, code=code)
    year = timezone.localdate().year
    for unit in IssuingUnit.objects.active().filter(code__in=codes):
        if not CertificateNumberBatch.objects.filter(issuing_unit=unit, year=year).exists():
            services.certificate_numbers_generate(
                actor=actor, issuing_unit=unit, year=year, start=DEMO_POOL[0], end=DEMO_POOL[1]
            )
    _issue_demo_certificate(orgs)


def _issue_demo_certificate(orgs) -> None:
    officer = User.objects.get(username="hr_city")
    unit = IssuingUnit.objects.active().filter(organization=orgs["city_nj"]).first()
    holder = User.objects.filter(username="applicant_a").first()
    holding = (
        title_selectors.title_holdings_of_holder(holder=holder)
        .filter(certificate__isnull=True)
        .first()
    )
    if unit is not None and holding is not None:
        issuing.certificate_issue(actor=officer, holding=holding, issuing_unit=unit)
