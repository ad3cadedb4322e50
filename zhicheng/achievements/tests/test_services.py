"""个人业绩库 and 申报材料清单 through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zhicheng.achievements import selectors, services
from zhicheng.achievements.models import (
    Achievement,
    AchievementKind,
    AchievementProof,
    ChecklistItem,
    MaterialChecklist,
)
from zhicheng.applications import services as application_services
from zhicheng.applications.models import ApplicationStatus, AttachmentCategory
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError

from .conftest import CHECKLIST_ITEMS, upload

pytestmark = pytest.mark.django_db


def test_library_entry_is_kept_on_the_person(world, library):
    paper = library[AchievementKind.PAPER]
    assert paper.person == world.zhang
    assert paper.is_representative
    assert list(selectors.achievement_list(user=world.applicant)) != []


def test_only_papers_patents_awards_projects_can_be_representative(world):
    with pytest.raises(ApplicationError, match="代表作"):
        services.achievement_create(
            actor=world.applicant,
            kind=AchievementKind.WORK,
            name="某公司",
            start_date=dt.date(2015, 1, 1),
            is_representative=True,
        )


def test_continuing_education_needs_hours(world):
    with pytest.raises(ApplicationError, match="学时"):
        services.achievement_create(
            actor=world.applicant,
            kind=AchievementKind.CONTINUING_EDUCATION,
            name="继续教育",
            start_date=dt.date(2025, 1, 1),
        )
    assert not Achievement.objects.exists()


def test_an_officer_cannot_keep_a_library(world):
    with pytest.raises(PermissionDenied):
        services.achievement_create(
            actor=world.officers["city_nj"],
            kind=AchievementKind.PAPER,
            name="x",
            start_date=dt.date(2020, 1, 1),
        )


def test_another_applicant_cannot_touch_my_entry(world, library, make_applicant):
    other = make_applicant("李娜").user
    with pytest.raises(ApplicationError, match="不是您本人"):
        services.achievement_update(
            actor=other, achievement=library[AchievementKind.PAPER], name="改"
        )
    with pytest.raises(ApplicationError, match="不是您本人"):
        services.achievement_delete(actor=other, achievement=library[AchievementKind.PAPER])


def test_new_application_is_prefilled_from_the_library(world, library):
    data = selectors.application_prefill(user=world.applicant)
    assert data["school"] == "南京工业大学"
    assert data["graduation_date"] == dt.date(2015, 6, 30)
    assert data["work_start_date"] == dt.date(2015, 7, 15)
    assert data["work_experiences"][0]["organization_name"] == "南京江宁智能装备有限公司"


def test_a_new_application_offers_every_entry_ticked(world, library, draft):
    app = draft()
    entries = selectors.library_for_ticking(user=world.applicant, application=app)
    assert entries and all(e.ticked for e in entries)


def test_submission_is_refused_naming_each_missing_item(world, checklist, library, draft):
    app = draft()
    with pytest.raises(ApplicationError) as refused:
        application_services.application_submit(actor=world.applicant, application=app)
    message = refused.value.message
    assert "现职称证书" in message
    assert "业绩材料" in message
    assert "继续教育证明" in message
    assert "身份证" not in message.split("：", 1)[1]
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


def test_completed_application_is_submitted(world, checklist, library, draft):
    app = draft()
    more = services.achievement_create(
        actor=world.applicant,
        kind=AchievementKind.CONTINUING_EDUCATION,
        name="2026年公需科目",
        start_date=dt.date(2026, 1, 10),
        hours=32,
    )
    services.proof_add(actor=world.applicant, achievement=more, upload=upload())
    application_services.attachment_add(
        actor=world.applicant,
        application=app,
        category=AttachmentCategory.TITLE_CERTIFICATE,
        upload=upload(),
    )
    ids = [e.pk for e in Achievement.objects.filter(person=world.zhang)]
    services.application_achievements_set(
        actor=world.applicant, application=app, achievement_ids=ids
    )
    rows = selectors.material_check(app)
    assert all(row.met for row in rows), [row.missing_text for row in rows if not row.met]
    app = application_services.application_submit(actor=world.applicant, application=app)
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_hours_below_the_minimum_are_named(world, checklist, library, draft):
    app = draft()
    services.application_achievements_set(
        actor=world.applicant,
        application=app,
        achievement_ids=[e.pk for e in library.values()],
    )
    missing = selectors.material_missing(app)
    assert any("继续教育证明" in m and "60" in m and "90" in m for m in missing)


def test_ticked_entry_without_proof_does_not_count(world, checklist, draft):
    paper = services.achievement_create(
        actor=world.applicant,
        kind=AchievementKind.PAPER,
        name="无证明的论文",
        start_date=dt.date(2021, 1, 1),
    )
    app = draft()
    services.application_achievements_set(
        actor=world.applicant, application=app, achievement_ids=[paper.pk]
    )
    assert any("缺少证明材料" in m for m in selectors.material_missing(app))


def test_checklist_of_another_level_does_not_apply(world, library, draft):
    services.checklist_create(
        actor=world.officers["province"],
        name="正高级",
        level=TitleLevel.SENIOR_FULL,
        acquisition_method=AcquisitionMethod.EVALUATION,
        items=CHECKLIST_ITEMS,
    )
    assert selectors.material_check(draft()) == []


def test_checklist_referencing_a_deleted_category_writes_nothing(world):
    items = [
        *CHECKLIST_ITEMS,
        {"name": "旧材料", "source": "attachment", "attachment_category": "old"},
    ]
    with pytest.raises(ApplicationError, match="“old”不存在或已删除"):
        services.checklist_create(
            actor=world.officers["province"],
            name="副高级",
            level=TitleLevel.SENIOR_DEPUTY,
            acquisition_method=AcquisitionMethod.EVALUATION,
            items=items,
        )
    assert not MaterialChecklist.objects.exists()
    assert not ChecklistItem.objects.exists()


def test_item_referencing_a_deleted_kind_is_refused(world, checklist):
    with pytest.raises(ApplicationError, match="业绩类别“thesis”不存在或已删除"):
        services.checklist_item_add(
            actor=world.officers["province"],
            checklist=checklist,
            name="学位论文",
            source="achievement",
            achievement_kind="thesis",
        )
    assert checklist.items.count() == len(CHECKLIST_ITEMS)


def test_a_stored_item_whose_category_went_away_blocks_with_a_clear_reason(world, checklist, draft):
    ChecklistItem.objects.filter(checklist=checklist, name="身份证").update(
        attachment_category="gone"
    )
    app = draft()
    assert any("已删除" in m for m in selectors.material_missing(app))


def test_one_checklist_per_org_level_and_method(world, checklist):
    with pytest.raises(ApplicationError, match="已有"):
        services.checklist_create(
            actor=world.officers["province"],
            name="重复",
            level=TitleLevel.SENIOR_DEPUTY,
            acquisition_method=AcquisitionMethod.EVALUATION,
        )


def test_city_officer_cannot_change_the_provinces_checklist(world, checklist):
    with pytest.raises(ApplicationError, match="不存在"):
        services.checklist_update(actor=world.officers["city_nj"], checklist=checklist, name="x")
    assert selectors.checklist_get(user=world.officers["city_nj"], pk=checklist.pk) == checklist


def test_entry_ticked_into_a_submitted_application_is_frozen(world, library, submitted):
    app = submitted()
    paper = library[AchievementKind.PAPER]
    # Ticking is only allowed while editable: tick via the model for the frozen case.
    from zhicheng.achievements.models import ApplicationAchievement

    ApplicationAchievement.objects.create(application=app, achievement=paper)
    with pytest.raises(ApplicationError, match="不能修改"):
        services.achievement_update(actor=world.applicant, achievement=paper, name="改名")
    with pytest.raises(ApplicationError, match="不能删除"):
        services.achievement_delete(actor=world.applicant, achievement=paper)
    with pytest.raises(ApplicationError, match="不能修改勾选"):
        services.application_achievements_set(
            actor=world.applicant, application=app, achievement_ids=[]
        )


def test_deleting_an_entry_unticks_it_from_drafts(world, library, draft):
    app = draft()
    paper = library[AchievementKind.PAPER]
    services.application_achievements_set(
        actor=world.applicant, application=app, achievement_ids=[paper.pk]
    )
    services.achievement_delete(actor=world.applicant, achievement=paper)
    assert not app.achievement_links.exists()
    assert not AchievementProof.objects.filter(achievement_id=paper.pk).exists()


def test_cannot_tick_someone_elses_entry(world, library, draft, make_applicant):
    other = make_applicant("李娜").user
    theirs = services.achievement_create(
        actor=other, kind=AchievementKind.PAPER, name="他人论文", start_date=dt.date(2020, 1, 1)
    )
    with pytest.raises(ApplicationError, match="不是您本人的业绩"):
        services.application_achievements_set(
            actor=world.applicant, application=draft(), achievement_ids=[theirs.pk]
        )


def test_officer_sees_proof_only_through_a_ticked_submitted_application(world, library, draft):
    app = draft()
    paper = library[AchievementKind.PAPER]
    services.application_achievements_set(
        actor=world.applicant, application=app, achievement_ids=[paper.pk]
    )
    proof = paper.proofs.get()
    officer = world.officers["unit_a"]
    from django.http import Http404

    with pytest.raises(Http404):  # a draft is the applicant's own
        selectors.proof_get_for_application(user=officer, application=app, pk=proof.pk)
    app = application_services.application_submit(actor=world.applicant, application=app)
    assert selectors.proof_get_for_application(user=officer, application=app, pk=proof.pk)
    other = library[AchievementKind.WORK].proofs.get()
    with pytest.raises(Http404):  # not ticked
        selectors.proof_get_for_application(user=officer, application=app, pk=other.pk)
