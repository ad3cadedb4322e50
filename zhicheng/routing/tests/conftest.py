"""Fixtures for routing tests: acceptance offices, committees and routes built through services."""

import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel, TitleSeries
from zhicheng.committees.models import Committee, CommitteeOrganizer, CommitteeStatus
from zhicheng.routing import services
from zhicheng.routing.models import NodeType, RouteKind

INITIAL = RouteKind.INITIAL
SENIOR = RouteKind.SENIOR
DEPUTY = TitleLevel.SENIOR_DEPUTY


@pytest.fixture
def office_city_nj(orgs, hr_province):
    """南京市局 accepts 副高级 初定 applications."""
    return services.acceptance_office_create(
        actor=hr_province,
        organization=orgs["city_nj"],
        node_type=NodeType.CITY_HR,
        level=DEPUTY,
        acquisition_method=AcquisitionMethod.INITIAL,
    )


@pytest.fixture
def make_committee(orgs, make_user):
    def make(*, organizer, level="senior", valid_until=None, status=CommitteeStatus.ACTIVE):
        series, _ = TitleSeries.objects.get_or_create(
            code="routing_test_eng", defaults={"name": "工程（测试）"}
        )
        today = timezone.localdate()
        committee = Committee.objects.create(
            name=f"测试评委会{Committee.objects.count() + 1}",
            level=level,
            series=series,
            account=make_user(orgs["province"], Role.COMMITTEE),
            organization=orgs["province"],
            approval_number="苏职称〔2026〕1号",
            valid_from=today - dt.timedelta(days=30),
            valid_until=valid_until or today + dt.timedelta(days=300),
            status=status,
        )
        CommitteeOrganizer.objects.create(committee=committee, organization=organizer)
        return committee

    return make


@pytest.fixture
def link(hr_province):
    """link(kind, level, superior, subordinate, node_type) through the real service."""

    def make(kind, level, superior, subordinate, node_type, actor=None):
        return services.route_edge_create(
            actor=actor or hr_province,
            kind=kind,
            level=level,
            superior=superior,
            subordinate=subordinate,
            node_type=node_type,
        )

    return make


@pytest.fixture
def initial_route(orgs, office_city_nj, link):
    """初定 · 副高级: unit_a → dept_jn_it → county_jn → city_nj (the office)."""
    return [
        link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_jn"], NodeType.COUNTY_HR),
        link(INITIAL, DEPUTY, orgs["county_jn"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT),
        link(INITIAL, DEPUTY, orgs["dept_jn_it"], orgs["unit_a"], NodeType.EMPLOYER),
    ]


def build_xlsx(headers, rows) -> bytes:
    """An .xlsx workbook in memory: one header row, then ``rows``."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet("数据")
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list]:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
