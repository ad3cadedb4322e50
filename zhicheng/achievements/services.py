"""Writes of the 个人业绩库 and the 申报材料清单 (one function per business action, each
transactional and recorded in the operation log).

An entry ticked into an application under review (or decided) is what its reviewers read: it
can no longer be changed or deleted, nor its proofs removed, until that application comes back
(退回) — a new proof may still be added. Entries ticked only into drafts are unticked when
deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application, AttachmentCategory, Education
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.files import (
    check_attachment,
    random_stored_name,
    save_with_file,
    uploaded_name,
)
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped

from .models import (
    CHECKLIST_METHODS,
    REPRESENTATIVE_KINDS,
    Achievement,
    AchievementKind,
    AchievementProof,
    ApplicationAchievement,
    ChecklistItem,
    ItemSource,
    MaterialChecklist,
)
from .selectors import person_of

APPLY = "applications.apply_application"
ACHIEVEMENT_FIELDS = (
    "kind",
    "name",
    "issuer",
    "role",
    "education",
    "start_date",
    "end_date",
    "hours",
    "is_representative",
    "note",
)
MAX_PROOFS = 10
MAX_ITEMS = 30


# --- 个人业绩库 -------------------------------------------------------------------------------


def _require_applicant(actor: User):
    require_perm(actor, APPLY, "只有申报人可以维护个人业绩库", error=PermissionDenied)
    person = person_of(actor)
    if person is None:
        raise ApplicationError("您的账号未关联人员信息，不能维护个人业绩库")
    return person


def _lock_own(actor: User, achievement: Achievement | int) -> Achievement:
    pk = achievement.pk if isinstance(achievement, Achievement) else achievement
    locked = (
        scoped(Achievement.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("业绩不存在，或不是您本人的业绩")
    return locked


def _locked_in(achievement: Achievement) -> Application | None:
    """An application beyond the applicant's hands (审核中 / 审核通过 …) that ticks the entry."""
    return (
        Application.objects.filter(achievement_links__achievement=achievement)
        .exclude(status__in=("draft", "returned", "withdrawn"))
        .select_related("title")
        .first()
    )


def _refuse_if_locked(achievement: Achievement, what: str) -> None:
    app = _locked_in(achievement)
    if app is not None:
        raise ApplicationError(
            f"“{achievement.name}”已勾选入{app.year}年度“{app.title.name}”的申报"
            f"（{app.get_status_display()}），不能{what}；退回后方可修改"
        )


def _assign(entry: Achievement, fields: dict) -> None:
    for name in ACHIEVEMENT_FIELDS:
        if name in fields:
            value = fields[name]
            if isinstance(value, str):
                value = value.strip()
            if value is None and name in ("issuer", "role", "education", "note"):
                value = ""
            setattr(entry, name, value)


def _check_achievement(entry: Achievement) -> None:
    if entry.kind not in AchievementKind.values:
        raise ApplicationError("请选择业绩类别")
    label = AchievementKind(entry.kind).label
    if not (entry.name or "").strip():
        raise ApplicationError(f"请填写{label}的名称")
    if entry.start_date is None:
        raise ApplicationError("请填写时间")
    if entry.start_date > dt.date.today():
        raise ApplicationError("时间不能晚于今天")
    if entry.end_date is not None and entry.end_date < entry.start_date:
        raise ApplicationError("结束时间不能早于开始时间")
    if entry.kind == AchievementKind.EDUCATION:
        if entry.education not in Education.values:
            raise ApplicationError("学历类业绩请选择学历")
    else:
        entry.education = ""
    if entry.kind == AchievementKind.CONTINUING_EDUCATION:
        if not entry.hours:
            raise ApplicationError("继续教育请填写学时（大于0）")
    else:
        entry.hours = None
    if entry.is_representative and entry.kind not in REPRESENTATIVE_KINDS:
        raise ApplicationError("只有论文、专利、获奖、项目可以标记为代表作")
    full_clean_or_raise(entry, exclude=["person"])


@transaction.atomic
def achievement_create(*, actor: User, **fields) -> Achievement:
    """新增 an entry in the applicant's own library."""
    person = _require_applicant(actor)
    entry = Achievement(person=person, name="")
    _assign(entry, fields)
    _check_achievement(entry)
    entry.save()
    operation_record(actor=actor, operation="create", obj=entry, summary=f"新增个人业绩：{entry}")
    return entry


@transaction.atomic
def achievement_update(*, actor: User, achievement: Achievement | int, **fields) -> Achievement:
    """修改 an entry (not while an application under review ticks it)."""
    _require_applicant(actor)
    entry = _lock_own(actor, achievement)
    _refuse_if_locked(entry, "修改")
    if "kind" in fields and fields["kind"] != entry.kind and entry.application_links.exists():
        raise ApplicationError("已勾选入申报的业绩不能更改类别，请先在申报中取消勾选")
    _assign(entry, fields)
    _check_achievement(entry)
    entry.save()
    operation_record(actor=actor, operation="update", obj=entry, summary=f"修改个人业绩：{entry}")
    return entry


@transaction.atomic
def achievement_delete(*, actor: User, achievement: Achievement | int) -> None:
    """删除 an entry with its proofs; unticked from the drafts that held it."""
    _require_applicant(actor)
    entry = _lock_own(actor, achievement)
    _refuse_if_locked(entry, "删除")
    names = [(p.file.storage, p.file.name) for p in entry.proofs.all()]
    operation_record(actor=actor, operation="delete", obj=entry, summary=f"删除个人业绩：{entry}")
    entry.application_links.all().delete()
    entry.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def proof_add(*, actor: User, achievement: Achievement | int, upload) -> AchievementProof:
    """上传证明材料 (PDF/JPG/PNG checked by content, ≤ 20 MB)."""
    _require_applicant(actor)
    entry = _lock_own(actor, achievement)
    if entry.proofs.count() >= MAX_PROOFS:
        raise ApplicationError(f"每项业绩最多上传{MAX_PROOFS}份证明材料")
    checked = check_attachment(upload)
    proof = AchievementProof(
        achievement=entry,
        stored_name=random_stored_name(checked),
        original_name=uploaded_name(upload, checked),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    save_with_file(proof, upload)
    operation_record(
        actor=actor,
        operation="upload",
        obj=proof,
        summary=f"上传证明材料：{entry}，{proof.original_name}",
    )
    return proof


@transaction.atomic
def proof_delete(*, actor: User, proof: AchievementProof | int) -> None:
    _require_applicant(actor)
    pk = proof.pk if isinstance(proof, AchievementProof) else proof
    locked = (
        scoped(AchievementProof.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("证明材料不存在")
    entry = _lock_own(actor, locked.achievement_id)
    _refuse_if_locked(entry, "删除证明材料")
    storage, name = locked.file.storage, locked.file.name
    operation_record(
        actor=actor,
        operation="delete",
        obj=locked,
        summary=f"删除证明材料：{entry}，{locked.original_name}",
    )
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_achievements_set(
    *, actor: User, application: Application | int, achievement_ids: Iterable[int]
) -> list[int]:
    """勾选 the library entries that go with one application (replaces the previous ticks).
    Only the applicant's own, editable (草稿 / 已退回) application, only their own entries."""
    person = _require_applicant(actor)
    pk = application.pk if isinstance(application, Application) else application
    app = Application.objects.select_for_update().filter(pk=pk).first()
    if app is None or app.applicant_id != actor.pk:
        raise ApplicationError("申报不存在，或不是您本人的申报")
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改勾选的业绩")
    wanted = {int(i) for i in achievement_ids}
    own = set(Achievement.objects.filter(person=person, pk__in=wanted).values_list("pk", flat=True))
    strangers = wanted - own
    if strangers:
        raise ApplicationError(
            f"业绩 {', '.join(str(i) for i in sorted(strangers))} 不存在或不是您本人的业绩"
        )
    before = set(app.achievement_links.values_list("achievement_id", flat=True))
    app.achievement_links.exclude(achievement_id__in=wanted).delete()
    ApplicationAchievement.objects.bulk_create(
        [ApplicationAchievement(application=app, achievement_id=i) for i in sorted(wanted - before)]
    )
    operation_record(
        actor=actor,
        operation="update",
        obj=app,
        summary=f"勾选申报业绩：共 {len(wanted)} 项（新增 {len(wanted - before)}，"
        f"取消 {len(before - wanted)}）",
    )
    return sorted(wanted)


# --- 申报材料清单 ------------------------------------------------------------------------------

CHECKLIST_FIELDS = ("name", "level", "acquisition_method", "note")


def _lock_checklist(actor: User, checklist: MaterialChecklist | int) -> MaterialChecklist:
    pk = checklist.pk if isinstance(checklist, MaterialChecklist) else checklist
    locked = (
        scoped(MaterialChecklist.objects.all(), actor)
        .select_for_update(of=("self",))
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("材料清单不存在，或不是本单位及下级单位制定的清单")
    return locked


def _check_checklist(checklist: MaterialChecklist) -> None:
    if not (checklist.name or "").strip():
        raise ApplicationError("请填写清单名称")
    if checklist.level not in TitleLevel.values:
        raise ApplicationError("请选择职称级别")
    if checklist.acquisition_method not in [m.value for m in CHECKLIST_METHODS]:
        raise ApplicationError("请选择取得方式（初定、认定或评审）")
    clash = (
        MaterialChecklist.objects.filter(
            organization_id=checklist.organization_id,
            level=checklist.level,
            acquisition_method=checklist.acquisition_method,
        )
        .exclude(pk=checklist.pk)
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            f"本单位已有{TitleLevel(checklist.level).label}"
            f"{checklist.get_acquisition_method_display()}的材料清单“{clash}”，请修改该清单"
        )
    full_clean_or_raise(checklist, validate_constraints=False)


def _clean_item(
    *,
    name: str,
    source: str,
    attachment_category: str = "",
    achievement_kind: str = "",
    min_count: int | None = 1,
    min_hours: int | None = None,
) -> dict:
    """One item's fields, refused with a clear message: a category or kind that does not exist
    (deleted) is named."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写材料名称")
    if len(name) > 100:
        raise ApplicationError("材料名称不能超过100个字符")
    if source not in ItemSource.values:
        raise ApplicationError(f"材料“{name}”：请选择材料来源（电子档案或个人业绩）")
    attachment_category = (attachment_category or "").strip()
    achievement_kind = (achievement_kind or "").strip()
    if source == ItemSource.ATTACHMENT:
        if not attachment_category:
            raise ApplicationError(f"材料“{name}”：请选择电子档案类别")
        if attachment_category not in AttachmentCategory.values:
            raise ApplicationError(
                f"材料“{name}”引用的电子档案类别“{attachment_category}”不存在或已删除，"
                f"可选类别：{'、'.join(AttachmentCategory.labels)}"
            )
        achievement_kind = ""
        if min_hours:
            raise ApplicationError(f"材料“{name}”：只有继续教育类业绩可以要求学时")
    else:
        if not achievement_kind:
            raise ApplicationError(f"材料“{name}”：请选择业绩类别")
        if achievement_kind not in AchievementKind.values:
            raise ApplicationError(
                f"材料“{name}”引用的业绩类别“{achievement_kind}”不存在或已删除，"
                f"可选类别：{'、'.join(AchievementKind.labels)}"
            )
        attachment_category = ""
        if min_hours and achievement_kind != AchievementKind.CONTINUING_EDUCATION:
            raise ApplicationError(f"材料“{name}”：只有继续教育类业绩可以要求学时")
    min_count = 1 if min_count is None else int(min_count)
    if not 1 <= min_count <= 50:
        raise ApplicationError(f"材料“{name}”：最少数量应在 1–50 之间")
    if min_hours is not None and not 0 <= int(min_hours) <= 10000:
        raise ApplicationError(f"材料“{name}”：最少学时应在 0–10000 之间")
    return {
        "name": name,
        "source": source,
        "attachment_category": attachment_category,
        "achievement_kind": achievement_kind,
        "min_count": min_count,
        "min_hours": int(min_hours) if min_hours else None,
    }


@transaction.atomic
def checklist_create(*, actor: User, items: Iterable[dict] = (), **fields) -> MaterialChecklist:
    """制定 a 申报材料清单 for the actor's organization, with its items. Every item is checked
    before anything is written: one bad item (e.g. a deleted category) writes nothing."""
    require_perm(actor, "achievements.add_materialchecklist")
    organization = actor.organization
    if organization is None or not organization.is_active:
        raise ApplicationError("您的账号未关联有效的单位，不能制定材料清单")
    cleaned = [_clean_item(**item) for item in items]
    if len(cleaned) > MAX_ITEMS:
        raise ApplicationError(f"一个清单最多{MAX_ITEMS}项材料")
    checklist = MaterialChecklist(organization=organization, created_by=actor)
    for name in CHECKLIST_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(checklist, name, value.strip() if isinstance(value, str) else value)
    _check_checklist(checklist)
    try:
        with transaction.atomic():
            checklist.save()
    except IntegrityError:
        raise ApplicationError("本单位已有该职称级别和取得方式的材料清单") from None
    for order, data in enumerate(cleaned, start=1):
        ChecklistItem.objects.create(checklist=checklist, sort_order=order, **data)
    operation_record(
        actor=actor,
        operation="create",
        obj=checklist,
        summary=f"制定申报材料清单：{checklist}（{len(cleaned)} 项材料）",
    )
    return checklist


@transaction.atomic
def checklist_update(
    *,
    actor: User,
    checklist: MaterialChecklist | int,
    items: Iterable[dict] | None = None,
    **fields,
) -> MaterialChecklist:
    """修改 a checklist; ``items`` given replaces all its items (checked first)."""
    require_perm(actor, "achievements.change_materialchecklist")
    locked = _lock_checklist(actor, checklist)
    cleaned = None if items is None else [_clean_item(**item) for item in items]
    if cleaned is not None and len(cleaned) > MAX_ITEMS:
        raise ApplicationError(f"一个清单最多{MAX_ITEMS}项材料")
    for name in CHECKLIST_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_checklist(locked)
    locked.save()
    if cleaned is not None:
        locked.items.all().delete()
        for order, data in enumerate(cleaned, start=1):
            ChecklistItem.objects.create(checklist=locked, sort_order=order, **data)
    operation_record(
        actor=actor, operation="update", obj=locked, summary=f"修改申报材料清单：{locked}"
    )
    return locked


@transaction.atomic
def checklist_delete(*, actor: User, checklist: MaterialChecklist | int) -> None:
    """删除 a checklist: applications are no longer held to it (submitted ones keep their
    state)."""
    require_perm(actor, "achievements.delete_materialchecklist")
    locked = _lock_checklist(actor, checklist)
    operation_record(
        actor=actor, operation="delete", obj=locked, summary=f"删除申报材料清单：{locked}"
    )
    locked.delete()


@transaction.atomic
def checklist_item_add(
    *, actor: User, checklist: MaterialChecklist | int, **fields
) -> ChecklistItem:
    """添加材料 to a checklist."""
    require_perm(actor, "achievements.change_materialchecklist")
    locked = _lock_checklist(actor, checklist)
    data = _clean_item(**fields)
    if locked.items.count() >= MAX_ITEMS:
        raise ApplicationError(f"一个清单最多{MAX_ITEMS}项材料")
    last = locked.items.order_by("-sort_order").values_list("sort_order", flat=True).first()
    item = ChecklistItem.objects.create(checklist=locked, sort_order=(last or 0) + 1, **data)
    operation_record(
        actor=actor,
        operation="update",
        obj=locked,
        summary=f"申报材料清单“{locked}”添加材料：{item}（{item.reference_display}）",
    )
    return item


@transaction.atomic
def checklist_item_delete(*, actor: User, item: ChecklistItem | int) -> None:
    require_perm(actor, "achievements.change_materialchecklist")
    pk = item.pk if isinstance(item, ChecklistItem) else item
    row = ChecklistItem.objects.filter(pk=pk).first()
    if row is None:
        raise ApplicationError("清单材料不存在")
    locked = _lock_checklist(actor, row.checklist_id)
    operation_record(
        actor=actor,
        operation="update",
        obj=locked,
        summary=f"申报材料清单“{locked}”删除材料：{row}",
    )
    row.delete()
