"""The applications tests' small world (routes, a committee, applicant 张伟 and his drafts),
plus a 个人业绩库 and 申报材料清单 built through the real services."""

# ruff: noqa: F811 — the fixtures imported from the applications tests are requested by name.

from __future__ import annotations

import datetime as dt

import pytest

from zhicheng.achievements import services
from zhicheng.achievements.models import AchievementKind, ItemSource
from zhicheng.applications.models import AttachmentCategory, Education
from zhicheng.applications.tests.conftest import (  # noqa: F401 (fixtures)
    draft,
    fast_password_hashing,
    make_applicant,
    private_media,
    submitted,
    upload,
    world,
)
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel

CHECKLIST_ITEMS = [
    {"name": "身份证", "source": ItemSource.ATTACHMENT, "attachment_category": "id_card"},
    {"name": "学历证书", "source": ItemSource.ATTACHMENT, "attachment_category": "diploma"},
    {
        "name": "现职称证书",
        "source": ItemSource.ATTACHMENT,
        "attachment_category": AttachmentCategory.TITLE_CERTIFICATE,
    },
    {"name": "业绩材料", "source": ItemSource.ACHIEVEMENT, "achievement_kind": "paper"},
    {
        "name": "继续教育证明",
        "source": ItemSource.ACHIEVEMENT,
        "achievement_kind": AchievementKind.CONTINUING_EDUCATION,
        "min_hours": 90,
    },
]


@pytest.fixture
def checklist(world):
    """The province's checklist for 副高级 评审 (the ``draft`` fixture's 高级工程师)."""
    return services.checklist_create(
        actor=world.officers["province"],
        name="副高级职称评审申报材料",
        level=TitleLevel.SENIOR_DEPUTY,
        acquisition_method=AcquisitionMethod.EVALUATION,
        items=CHECKLIST_ITEMS,
    )


@pytest.fixture
def library(world):
    """张伟's library: 本科, a job, a paper (代表作), 继续教育 of 60 h — every entry with a proof."""
    actor = world.applicant
    rows = [
        dict(
            kind=AchievementKind.EDUCATION,
            name="南京工业大学",
            role="机械设计制造及其自动化",
            education=Education.BACHELOR,
            start_date=dt.date(2011, 9, 1),
            end_date=dt.date(2015, 6, 30),
        ),
        dict(
            kind=AchievementKind.WORK,
            name="南京江宁智能装备有限公司",
            role="机械工程师",
            start_date=dt.date(2015, 7, 15),
        ),
        dict(
            kind=AchievementKind.PAPER,
            name="智能装配线的柔性调度研究",
            issuer="机械工程学报",
            role="第一作者",
            start_date=dt.date(2022, 3, 1),
            is_representative=True,
        ),
        dict(
            kind=AchievementKind.CONTINUING_EDUCATION,
            name="2025年专业科目继续教育",
            issuer="江苏省专业技术人员继续教育基地",
            start_date=dt.date(2025, 5, 1),
            hours=60,
        ),
    ]
    entries = {}
    for row in rows:
        entry = services.achievement_create(actor=actor, **row)
        services.proof_add(actor=actor, achievement=entry, upload=upload())
        entries[row["kind"]] = entry
    return entries
