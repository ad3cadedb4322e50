"""Signed certificates (DESIGN §5: ≥ 0.8 × the raw render + sign of the same page).

The demo organization tree, the Nanjing city bureau's issuing unit with this year's pool, and
CERTIFICATES titles held (初定 助理工程师, approved by the city bureau) are set up. Then:

- the application: ``certificates.services.issuing.certificate_issue`` for each title held — lock the
  title held, check the blacklist, take the next number (``SKIP LOCKED``), render, sign (PAdES,
  ECDSA P-256), store the PDF, write the certificate row;
- the floor: the same page drawn by reportlab and signed by pyHanko directly
  (``certificates.pdf.render`` + ``certificates.pdf.sign``: the libraries' calls only, no
  database and no storage), for the same people.

Alternating halves (application, floor, application, floor) so both share the machine's load;
the figure is the mean time per certificate. Target: value / floor ≤ 1.25 (throughput ≥ 0.8 ×).
"""

from __future__ import annotations

import time

from bench.results import Result

TITLE = "职称电子证书（签名 PDF）"
CERTIFICATES = 80
WARM_UP = 3
TARGET_RATIO = 1.25
FLOOR_NAME = "同一页面直接用 reportlab 绘制 + pyHanko 签名（不含数据库与存储）"


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key="certificates.issue",
            name=f"发放证书（绘制、签名、编号、存储），每份，共 {CERTIFICATES} 份",
            db=db_label,
            unit="ms",
            floor_name=FLOOR_NAME,
            target_kind="ratio",
            target=TARGET_RATIO,
        )
    ]


def _setup(make_officer, count: int):
    from django.utils import timezone

    from zhicheng.catalog.models import AcquisitionMethod, Title, TitleLevel
    from zhicheng.certificates import services
    from zhicheng.orgs.demo import load_demo_organizations
    from zhicheng.persons.models import Person
    from zhicheng.titles.models import TitleHolding

    orgs = load_demo_organizations()
    officer = make_officer(orgs["city_nj"], "bench_cert_city")
    unit = services.issuing_unit_create(
        actor=officer, organization=orgs["city_nj"], code="32010001"
    )
    today = timezone.localdate()
    services.certificate_numbers_generate(
        actor=officer, issuing_unit=unit, year=today.year, start=1, end=count + 10
    )
    title = Title.objects.filter(level=TitleLevel.ASSISTANT).order_by("pk").first()
    people = Person.objects.bulk_create(
        Person(id_number=f"3201151990010{n:05d}", name=f"持证人{n}") for n in range(count)
    )
    holdings = TitleHolding.objects.bulk_create(
        TitleHolding(
            person=person,
            title=title,
            level=title.level,
            acquisition_method=AcquisitionMethod.INITIAL,
            approved_on=today,
            approving_organization=orgs["city_nj"],
        )
        for person in people
    )
    return officer, unit, holdings


def _issue(officer, unit, holdings) -> float:
    from zhicheng.certificates.services import issuing

    started = time.perf_counter()
    for holding in holdings:
        issuing.certificate_issue(actor=officer, holding=holding.pk, issuing_unit=unit)
    return time.perf_counter() - started


def _floor(unit, holdings) -> float:
    from django.utils import timezone

    from zhicheng.certificates import pdf
    from zhicheng.certificates.services import issuing

    today = timezone.localdate()
    started = time.perf_counter()
    for n, holding in enumerate(holdings):
        text = issuing._text(holding, f"32010001{today.year}{900000 + n:06d}", unit, today)
        pdf.sign(pdf.render(text), location=unit.organization.name)
    return time.perf_counter() - started


def run(*, db_label: str, make_officer) -> list[Result]:
    from zhicheng.titles.models import TitleHolding

    officer, unit, holdings = _setup(make_officer, CERTIFICATES + WARM_UP)
    holdings = list(
        TitleHolding.objects.select_related(
            "person", "title__series", "specialty", "approving_organization"
        ).filter(pk__in=[h.pk for h in holdings])
    )
    unit.refresh_from_db()
    _issue(officer, unit, holdings[:WARM_UP])
    _floor(unit, holdings[:WARM_UP])
    measured = holdings[WARM_UP:]
    half = len(measured) // 2
    value = floor = 0.0
    for part in (measured[:half], measured[half:]):
        value += _issue(officer, unit, part)
        floor += _floor(unit, part)
    (result,) = planned(db_label)
    result.value = value / len(measured) * 1000
    result.floor = floor / len(measured) * 1000
    result.details = {"certificates": len(measured)}
    return [result]
