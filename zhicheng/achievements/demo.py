"""Demo 个人业绩库 and 申报材料清单, through the real services:

- ``applicant_a`` (张伟) keeps a filled library — 本科, a paper (代表作), a patent, an award, a
  project (代表作) and two 继续教育 entries (48 + 42 学时) — each with a proof file. No 工作经历
  entry on purpose: a new application takes the library's work history as its rows, and the
  applications' browser tests expect applicant_a's new form to start with one blank row;
- ``hr_province`` makes the checklist of 中级 评审 (身份证, 学历证书, 现职称证书, 业绩材料 (论文),
  继续教育证明 ≥ 90 学时). Chosen where no demo application lies (中评会), so the demo's returned
  applications can still be resubmitted as the other demos and tests expect;
- 张伟's 认定 助理工程师 draft (``applications.demo``) has the whole library ticked.

Runs after ``applications.demo``. Idempotent: a library or checklist already there is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application, AttachmentCategory, Education
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.samples import pdf_bytes, png_bytes

from . import services
from .models import Achievement, AchievementKind, ItemSource, MaterialChecklist

LIBRARY = [
    dict(
        kind=AchievementKind.EDUCATION,
        name="南京工业大学",
        issuer="工学学士",
        role="机械设计制造及其自动化",
        education=Education.BACHELOR,
        start_date=dt.date(2006, 9, 1),
        end_date=dt.date(2010, 6, 30),
    ),
    dict(
        kind=AchievementKind.PAPER,
        name="智能装配线柔性调度方法研究",
        issuer="机械设计与制造",
        role="第一作者",
        start_date=dt.date(2023, 4, 15),
        is_representative=True,
    ),
    dict(
        kind=AchievementKind.PATENT,
        name="一种数控机床刀具快换装置",
        issuer="ZL202210000001.2",
        role="第二发明人",
        start_date=dt.date(2024, 1, 9),
    ),
    dict(
        kind=AchievementKind.AWARD,
        name="南京市科学技术进步奖",
        issuer="南京市人民政府",
        role="三等奖，排名第四",
        start_date=dt.date(2024, 12, 20),
    ),
    dict(
        kind=AchievementKind.PROJECT,
        name="江宁区智能制造示范产线建设",
        issuer="江宁区工业和信息化局",
        role="技术负责人",
        start_date=dt.date(2022, 3, 1),
        end_date=dt.date(2023, 12, 31),
        is_representative=True,
    ),
    dict(
        kind=AchievementKind.CONTINUING_EDUCATION,
        name="2024年专业科目继续教育",
        issuer="江苏省专业技术人员继续教育基地",
        role="专业科目",
        start_date=dt.date(2024, 6, 1),
        hours=48,
    ),
    dict(
        kind=AchievementKind.CONTINUING_EDUCATION,
        name="2025年公需科目继续教育",
        issuer="江苏省专业技术人员继续教育平台",
        role="公需科目",
        start_date=dt.date(2025, 5, 10),
        hours=42,
    ),
]

CHECKLIST_ITEMS = [
    {"name": "身份证", "source": ItemSource.ATTACHMENT, "attachment_category": "id_card"},
    {
        "name": "学历证书",
        "source": ItemSource.ATTACHMENT,
        "attachment_category": AttachmentCategory.DIPLOMA,
    },
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


def _proof(index: int) -> SimpleUploadedFile:
    if index % 2:
        return SimpleUploadedFile(f"证明材料{index}.png", png_bytes(), "image/png")
    return SimpleUploadedFile(f"证明材料{index}.pdf", pdf_bytes(), "application/pdf")


def load(orgs) -> None:
    hr = User.objects.get(username="hr_province")
    if not MaterialChecklist.objects.filter(
        organization=orgs["province"],
        level=TitleLevel.INTERMEDIATE,
        acquisition_method=AcquisitionMethod.EVALUATION,
    ).exists():
        services.checklist_create(
            actor=hr,
            name="中级职称评审申报材料",
            level=TitleLevel.INTERMEDIATE,
            acquisition_method=AcquisitionMethod.EVALUATION,
            note="演示数据：全省中级职称评审须提交的材料",
            items=CHECKLIST_ITEMS,
        )
    applicant = User.objects.get(username="applicant_a")
    if Achievement.objects.filter(person__user=applicant).exists():
        return
    ids = []
    for index, row in enumerate(LIBRARY, start=1):
        entry = services.achievement_create(actor=applicant, **row)
        services.proof_add(actor=applicant, achievement=entry, upload=_proof(index))
        ids.append(entry.pk)
    draft = Application.objects.filter(
        applicant=applicant, status="draft", acquisition_method=AcquisitionMethod.RECOGNITION
    ).first()
    if draft is not None:
        services.application_achievements_set(
            actor=applicant, application=draft, achievement_ids=ids
        )
