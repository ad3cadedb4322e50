"""Reads of the 个人业绩库 and the 申报材料清单, always scoped.

- An applicant sees only the entries of their own person (``Achievement`` is scoped by owner).
- Officers (and committee accounts) never list a library: they see the entries ticked into an
  application they may open, with their proofs, through that application.
- Checklists: an HR officer sees those of their subtree (which they maintain) and those of the
  bureaus above them (which apply to their area too); applicants see, on their application, the
  items that apply to it (``material_check``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application, ApplicationStatus, AttachmentCategory
from zhicheng.applications.models import Education as EducationLevel
from zhicheng.common.scoping import get_or_404, get_scoped_or_404, scoped
from zhicheng.orgs.selectors import organization_ancestor_ids
from zhicheng.persons.models import Person

from .models import (
    Achievement,
    AchievementKind,
    AchievementProof,
    ChecklistItem,
    ItemSource,
    MaterialChecklist,
)

# --- 个人业绩库 -------------------------------------------------------------------------------


def achievement_list(
    *, user: User, kind: str = "", name: str = "", representative: bool | None = None
) -> QuerySet[Achievement]:
    """我的业绩库: the applicant's own entries, by 类别 then newest first."""
    qs = scoped(Achievement.objects.all(), user).annotate(proof_count=Count("proofs"))
    if kind:
        qs = qs.filter(kind=kind)
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    if representative is not None:
        qs = qs.filter(is_representative=representative)
    return qs.order_by("kind", "-start_date", "-pk")


def achievement_get(*, user: User, pk) -> Achievement:
    """One entry of the applicant's own library (404 for anyone else's)."""
    return get_scoped_or_404(Achievement.objects.select_related("person"), user, pk)


def achievement_proofs(*, achievement: Achievement) -> QuerySet[AchievementProof]:
    return achievement.proofs.order_by("uploaded_at", "pk")


def proof_get_own(*, user: User, pk) -> AchievementProof:
    """A proof of the applicant's own library."""
    return get_scoped_or_404(AchievementProof.objects.select_related("achievement"), user, pk)


def proof_get_for_application(*, user: User, application: Application, pk) -> AchievementProof:
    """A proof of an entry ticked into ``application`` (already fetched through the scope);
    another's draft is never shown (as with the 电子档案)."""
    if application.status == ApplicationStatus.DRAFT and application.applicant_id != user.pk:
        raise Http404("记录不存在或无权访问")
    qs = AchievementProof.objects.filter(
        achievement__application_links__application=application
    ).select_related("achievement")
    return get_or_404(qs, pk)


def application_achievements(*, application: Application) -> list[Achievement]:
    """The entries ticked into ``application``, 代表作 first within each 类别, with proofs."""
    return list(
        Achievement.objects.filter(application_links__application=application)
        .prefetch_related(Prefetch("proofs", queryset=AchievementProof.objects.order_by("pk")))
        .order_by("kind", "-is_representative", "-start_date", "pk")
    )


def person_of(user: User) -> Person | None:
    if not (user and user.is_authenticated and user.is_applicant):
        return None
    return Person.objects.filter(user=user).first()


def library_for_ticking(*, user: User, application: Application) -> list[Achievement]:
    """The applicant's whole library, each entry marked ``ticked`` for ``application``. A new
    application (nothing ticked yet) offers every entry ticked: it starts from the library."""
    entries = list(achievement_list(user=user))
    ticked = set(application.achievement_links.values_list("achievement_id", flat=True))
    fresh = not ticked
    for entry in entries:
        entry.ticked = fresh or entry.pk in ticked
    return entries


def application_prefill(*, user: User) -> dict:
    """The fields of a new application taken from the library: the highest 学历 (院校, 专业,
    毕业时间), the first 工作经历's start as 参加工作时间, and the work history."""
    entries = list(scoped(Achievement.objects.all(), user))
    order = {code: i for i, code in enumerate(EducationLevel.values)}
    educations = [
        e for e in entries if e.kind == AchievementKind.EDUCATION and e.education in order
    ]
    works = sorted(
        (e for e in entries if e.kind == AchievementKind.WORK), key=lambda e: e.start_date
    )
    data: dict = {}
    if educations:
        best = max(educations, key=lambda e: (order[e.education], e.end_date or e.start_date))
        data.update(
            education=best.education,
            school=best.name,
            major=best.role,
            graduation_date=best.end_date or best.start_date,
        )
    if works:
        data["work_start_date"] = works[0].start_date
    data["work_experiences"] = [
        {
            "start_date": w.start_date,
            "end_date": w.end_date,
            "organization_name": w.name,
            "position": w.role,
            "description": w.note,
        }
        for w in works
    ]
    return data


# --- 申报材料清单 ------------------------------------------------------------------------------


def _visible_checklists(user: User) -> QuerySet[MaterialChecklist]:
    qs = MaterialChecklist.objects.all()
    own = scoped(qs, user)
    if not (user.is_authenticated and user.is_officer and user.organization_id):
        return own
    above = organization_ancestor_ids([user.organization_id])
    return qs.filter(Q(pk__in=own.values("pk")) | Q(organization_id__in=above))


def checklist_list(
    *, user: User, name: str = "", level: str = "", acquisition_method: str = ""
) -> QuerySet[MaterialChecklist]:
    """申报材料清单 query: by 名称, 职称级别, 取得方式."""
    qs = (
        _visible_checklists(user)
        .select_related("organization", "created_by")
        .annotate(item_count=Count("items"))
    )
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    if level:
        qs = qs.filter(level=level)
    if acquisition_method:
        qs = qs.filter(acquisition_method=acquisition_method)
    return qs.order_by("level", "acquisition_method", "organization__path", "pk")


def checklist_get(*, user: User, pk) -> MaterialChecklist:
    return get_or_404(_visible_checklists(user).select_related("organization", "created_by"), pk)


def checklist_editable(*, user: User, checklist: MaterialChecklist) -> bool:
    """Only the lists of the officer's own subtree are theirs to change."""
    return scoped(MaterialChecklist.objects.filter(pk=checklist.pk), user).exists()


def checklist_item_get(*, user: User, checklist: MaterialChecklist, pk) -> ChecklistItem:
    return get_or_404(checklist.items.all(), pk)


def checklist_items_for(application: Application) -> list[ChecklistItem]:
    """The items that apply to an application: those of the lists of its 职称级别 and 取得方式
    made by its employer's bureaus (the employer and every organization above it). No user
    scope: a rule reads the configuration as it stands."""
    bureaus = organization_ancestor_ids([application.employer_id])
    items = ChecklistItem.objects.filter(
        checklist__organization_id__in=bureaus,
        checklist__level=application.level,
        checklist__acquisition_method=application.acquisition_method,
    ).order_by("checklist__organization__path", "sort_order", "pk")
    unique: dict[tuple, ChecklistItem] = {}
    for item in items:
        key = (
            item.name,
            item.source,
            item.attachment_category,
            item.achievement_kind,
            item.min_count,
            item.min_hours,
        )
        unique.setdefault(key, item)
    return list(unique.values())


@dataclass(frozen=True)
class CheckRow:
    """One line of the applicant's checklist: the item, met or not, and what is there."""

    item: ChecklistItem
    met: bool
    detail: str

    @property
    def missing_text(self) -> str:
        return f"{self.item.name}（{self.detail}）"


def material_check(application: Application) -> list[CheckRow]:
    """The checklist of ``application`` with a tick per item (empty when no list applies)."""
    items = checklist_items_for(application)
    if not items:
        return []
    files = Counter(application.attachments.values_list("category", flat=True))
    ticked = list(
        Achievement.objects.filter(application_links__application=application).annotate(
            proof_count=Count("proofs")
        )
    )
    rows = []
    for item in items:
        if item.source == ItemSource.ATTACHMENT:
            code = item.attachment_category
            if code not in AttachmentCategory.values:
                rows.append(CheckRow(item, False, "清单引用的电子档案类别已删除，请联系人社部门"))
                continue
            count = files[code]
            need = f"需上传{AttachmentCategory(code).label}"
            detail = f"已上传 {count} 份" if count else f"未上传，{need}"
            rows.append(CheckRow(item, count >= item.min_count, detail))
            continue
        kind = item.achievement_kind
        if kind not in AchievementKind.values:
            rows.append(CheckRow(item, False, "清单引用的业绩类别已删除，请联系人社部门"))
            continue
        label = AchievementKind(kind).label
        of_kind = [a for a in ticked if a.kind == kind]
        proven = [a for a in of_kind if a.proof_count]
        hours = sum(a.hours or 0 for a in proven)
        met = len(proven) >= item.min_count and (not item.min_hours or hours >= item.min_hours)
        if not of_kind:
            detail = f"未勾选{label}业绩"
        else:
            detail = f"已勾选 {len(of_kind)} 项{label}"
            if len(proven) < len(of_kind):
                detail += f"，其中 {len(of_kind) - len(proven)} 项缺少证明材料"
        if item.min_hours:
            detail += f"，有证明的学时共 {hours}，需不少于 {item.min_hours}"
        elif item.min_count > 1:
            detail += f"，需至少 {item.min_count} 项"
        rows.append(CheckRow(item, met, detail))
    return rows


def material_missing(application: Application) -> list[str]:
    """The missing items of ``application``'s checklist, each with what is lacking."""
    return [row.missing_text for row in material_check(application) if not row.met]
