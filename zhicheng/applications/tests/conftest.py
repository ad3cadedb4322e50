"""A small world for the application tests, built through the real services:

- reviewers at every level of unit_a's routes: ``unit_a`` (单位经办) → ``dept_jn_it`` (单位经办 of
  the competent department) → ``county_jn`` (人社经办) → ``city_nj`` (人社经办, also the
  acceptance office of 初定 助理级 and 认定 中级) → ``province`` (人社经办) → ``organizer_eng``
  (the organizer of the 高评会 ``committee``, whose account acts at the top);
- routes: 初定 · 助理级 and 认定 · 中级 end at city_nj; 高评会 · 副高级 ends at organizer_eng;
- ``zhang``: applicant 张伟 (本科, graduated 2015) with a login; helpers to fill and attach.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.applications import services
from zhicheng.applications.models import AttachmentCategory, Education
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title, TitleLevel
from zhicheng.committees import services as committee_services
from zhicheng.committees.models import CommitteeLevel
from zhicheng.common.samples import pdf_bytes, png_bytes
from zhicheng.persons.services import applicant_register
from zhicheng.persons.tests.factories import id_number
from zhicheng.routing import services as routing_services
from zhicheng.routing.models import NodeType, RouteKind

APPLICANT_PASSWORD = "Apply@2026pw"
__all__ = ["pdf_bytes", "png_bytes"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 makes every account slow; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str = "scan.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type)


def title_named(name: str, series_code: str = "engineering") -> Title:
    return Title.objects.get(series__code=series_code, name=name)


def specialty(code: str = "080201") -> Specialty:
    return Specialty.objects.get(code=code)


class World:
    """What the fixtures built, by name."""

    def __init__(self, **kwargs) -> None:
        self.__dict__.update(kwargs)


@pytest.fixture
def world(orgs, make_user, hr_province):
    today = timezone.localdate()
    officers = {
        "unit_a": make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a"),
        "dept_jn_it": make_user(orgs["dept_jn_it"], Role.EMPLOYER_OFFICER, username="t_dept"),
        "county_jn": make_user(orgs["county_jn"], Role.HR_OFFICER, username="t_county"),
        "city_nj": make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_city"),
        "province": hr_province,
    }
    committee_account = make_user(
        orgs["organizer_eng"], Role.COMMITTEE, username="t_committee", real_name="高评会账号"
    )
    committee, _ = committee_services.committee_create(
        actor=hr_province,
        name="江苏省工程技术高级职称评审委员会（测试）",
        level=CommitteeLevel.SENIOR,
        series=title_named("高级工程师").series,
        approval_number="苏人社职〔2026〕1号",
        valid_from=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=700),
        organization=orgs["province"],
        existing_account=committee_account,
    )
    committee_services.committee_specialty_add(
        actor=hr_province, committee=committee, specialty=specialty("0802")
    )
    committee_services.committee_organizer_add(
        actor=hr_province, committee=committee, organization=orgs["organizer_eng"]
    )
    offices = {}
    for method, level in (
        (AcquisitionMethod.INITIAL, TitleLevel.ASSISTANT),
        (AcquisitionMethod.RECOGNITION, TitleLevel.INTERMEDIATE),
    ):
        offices[method] = routing_services.acceptance_office_create(
            actor=hr_province,
            organization=orgs["city_nj"],
            node_type=NodeType.CITY_HR,
            level=level,
            acquisition_method=method,
            notice="**须知**：材料须真实。",
        )
    below_city = [
        ("city_nj", "county_jn", NodeType.COUNTY_HR),
        ("county_jn", "dept_jn_it", NodeType.COMPETENT_DEPT),
        ("dept_jn_it", "unit_a", NodeType.EMPLOYER),
    ]
    routes = {
        (RouteKind.INITIAL, TitleLevel.ASSISTANT): below_city,
        (RouteKind.RECOGNITION, TitleLevel.INTERMEDIATE): below_city,
        (RouteKind.SENIOR, TitleLevel.SENIOR_DEPUTY): [
            ("organizer_eng", "province", NodeType.PROVINCE_HR),
            ("province", "city_nj", NodeType.CITY_HR),
            *below_city,
        ],
    }
    for (kind, level), links in routes.items():
        for superior, subordinate, node_type in links:
            routing_services.route_edge_create(
                actor=hr_province,
                kind=kind,
                level=level,
                superior=orgs[superior],
                subordinate=orgs[subordinate],
                node_type=node_type,
            )
    zhang = applicant_register(
        name="张伟",
        id_number=id_number(seq="031"),
        mobile="13851000001",
        password=APPLICANT_PASSWORD,
    )
    return World(
        orgs=orgs,
        officers=officers,
        committee=committee,
        committee_account=committee_account,
        offices=offices,
        zhang=zhang,
        applicant=zhang.user,
        today=today,
    )


@pytest.fixture
def make_applicant(orgs):
    """Another applicant with a login: make_applicant("李娜")."""
    counter = {"n": 0}

    def make(name: str, **kwargs):
        counter["n"] += 1
        return applicant_register(
            name=name,
            id_number=id_number(seq=f"{200 + counter['n']:03d}"),
            mobile=f"139{counter['n']:08d}",
            password=APPLICANT_PASSWORD,
        )

    return make


PERSONAL_DATA = {
    "education": Education.BACHELOR,
    "school": "南京工业大学",
    "major": "机械设计制造及其自动化",
    "graduation_date": dt.date(2015, 6, 30),
    "work_start_date": dt.date(2015, 7, 15),
    "current_title_name": "工程师",
    "current_title_date": dt.date(2019, 12, 1),
}

KINDS = {
    "evaluation": (AcquisitionMethod.EVALUATION, "高级工程师"),
    "initial": (AcquisitionMethod.INITIAL, "助理工程师"),
    "recognition": (AcquisitionMethod.RECOGNITION, "工程师"),
}


@pytest.fixture
def draft(world):
    """draft(kind="evaluation", user=None, complete=True, **overrides): a draft through the
    service; complete=True also pledges, acknowledges the notice and attaches 身份证 + 学历证书."""

    def make(kind: str = "evaluation", *, user=None, complete: bool = True, **overrides):
        method, title_name = KINDS[kind]
        user = user or world.applicant
        fields = {
            "acquisition_method": method,
            "title": title_named(title_name),
            "specialty": specialty("080201"),
            "employer": world.orgs["unit_a"],
            "committee": world.committee if method == AcquisitionMethod.EVALUATION else None,
            "notice_acknowledged": complete,
            "integrity_pledged": complete,
            "work_experiences": [
                {
                    "start_date": dt.date(2015, 7, 15),
                    "organization_name": "南京江宁智能装备有限公司",
                }
            ],
            **PERSONAL_DATA,
            **overrides,
        }
        app = services.application_create(actor=user, **fields)
        if complete:
            for category in (AttachmentCategory.ID_CARD, AttachmentCategory.DIPLOMA):
                services.attachment_add(
                    actor=user, application=app, category=category, upload=upload()
                )
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def submitted(world, draft):
    """submitted(kind="evaluation", **overrides): a draft, submitted."""

    def make(kind: str = "evaluation", **overrides):
        app = draft(kind, **overrides)
        user = overrides.get("user") or world.applicant
        return services.application_submit(actor=user, application=app)

    return make


@pytest.fixture
def climb(world):
    """climb(app, *levels): approve at each named level (officer keys or "committee")."""

    def run(app, *levels: str):
        for level in levels:
            actor = world.committee_account if level == "committee" else world.officers[level]
            app = services.application_approve(actor=actor, application=app).application
        return app

    return run
