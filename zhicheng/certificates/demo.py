"""Demo issuing units (1.9): the province bureau and the Nanjing city bureau, created by the
demo province officer through the service; and a pool of certificate numbers (1.16) for each,
this year's 1–200; and the certificate of applicant_a's 助理工程师 (1.17), issued by hr_city
from the Nanjing unit — 查看证书 and /verify/ work right after ``make run``; three more of Nanjing
and their 证书报送人社部 (1.18): two 已上报, one 失败, one 未上报. Idempotent."""

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates import services
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumberBatch,
    IssuingUnit,
    IssuingUnitStatus,
    NationalReport,
)
from zhicheng.certificates.services import issuing, national
from zhicheng.persons.demo import DEMO_PERSONS, demo_id_number
from zhicheng.persons.models import Person
from zhicheng.titles import selectors as title_selectors
from zhicheng.titles import services as title_services
from zhicheng.titles.models import TitleHolding
from zhicheng.titles.services import TitleGrant

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
    _report_demo_certificates(orgs)


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


# 1.18: three more 助理工程师 of Nanjing (as 张伟's; persons not on the blacklist), certified by
# hr_city; of the four certificates two are 已上报, one 失败 (重新上报 shows) and one waits 未上报
# (the home's 待上报).
DEMO_REPORT_PERSONS = ("li_na", "sun_li", "zhao_lei")
DEMO_DOCUMENT = "宁人社职〔演示〕{index}号"
DEMO_REPORT_ERROR = "HTTP 400 证件号码与全国库不一致（演示）"


def _report_demo_certificates(orgs) -> None:
    if NationalReport.objects.exists():  # loaded once; an officer's reports are left alone
        return
    officer = User.objects.get(username="hr_city")
    unit = IssuingUnit.objects.active().filter(organization=orgs["city_nj"]).first()
    first = Certificate.objects.filter(issuing_unit=unit).select_related("holding").first()
    if unit is None or first is None:
        return
    template = first.holding
    by_id = {p.id_number: p for p in Person.objects.all()}
    certificates = [first]
    for index, key in enumerate(DEMO_REPORT_PERSONS, start=1):
        row = next(r for r in DEMO_PERSONS if r[0] == key)
        person = by_id.get(demo_id_number(row[2], row[3], row[4]))
        if person is None:
            continue
        holding = TitleHolding.objects.filter(
            person=person, title=template.title
        ).first() or title_services.title_holding_grant(
            actor=officer,
            grant=TitleGrant(
                person_id=person.pk,
                title_id=template.title_id,
                level=template.level,
                acquisition_method=template.acquisition_method,
                approved_on=template.approved_on,
                approving_organization_id=orgs["city_nj"].pk,
                specialty_id=template.specialty_id,
                document_number=DEMO_DOCUMENT.format(index=index),
            ),
        )
        certificate = Certificate.objects.filter(holding=holding).first()
        if certificate is None:
            certificate = issuing.certificate_issue(
                actor=officer, holding=holding, issuing_unit=unit
            )
        certificates.append(certificate)
    reported = certificates[:3]
    national.certificates_report(actor=officer, certificate_ids=[c.pk for c in reported])
    # The demo does not wait for the worker and the simulator: the answers are written here.
    outcomes = {
        reported[0].pk: national.Attempt(ok=True),
        reported[1].pk: national.Attempt(ok=True),
        reported[2].pk: national.Attempt(ok=False, error=DEMO_REPORT_ERROR, permanent=True),
    }
    for row in national.national_reports_claim(limit=len(reported)):
        national.national_report_settle(row, outcomes[row.certificate_id])
