"""Writes of the catalogue: specialties (1.1) and titles (1.2).

栏目大类 and title series ship with the system (``standard.py``); there is no service to add
them. Each write checks the actor's permission and management scope (see ``selectors``), locks
what it changes, validates with the model and records deletes in the operation log (creates and
edits are logged by django-auditlog).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.db.models.functions import Length, Substr

from zhicheng.accounts.models import User
from zhicheng.catalog import selectors
from zhicheng.catalog.models import CODE_VALIDATOR, Specialty, Title, TitleLevel, TitleSeries
from zhicheng.catalog.standard import int2str, str2int
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.usage import usages

TREE_FIELDS = ["path", "depth", "numchild"]


def _delete(obj, refusal: str) -> None:
    """Delete ``obj``; a reference the usage check could not see (a protected foreign key)
    refuses with the reason instead of failing."""
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        kinds = sorted({str(type(o)._meta.verbose_name) for o in blockers})
        raise ApplicationError(f"{refusal}（{'、'.join(kinds)}），不能删除") from None


def _clean_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(f"请填写{label}")
    return value


# --- Specialties ----------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    """专业代码 are compared and stored in upper case (``a01`` and ``A01`` are the same code)."""
    return (code or "").strip().upper()


def _check_specialty_code_free(code: str, *, exclude_pk=None) -> None:
    clash = Specialty.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ApplicationError(f"专业代码“{code}”已被“{clash.name}”使用")


def _lock_manageable_specialty(actor: User, specialty: Specialty) -> Specialty:
    node = (
        selectors.specialty_manageable(user=actor)
        .select_for_update(of=("self",))
        .filter(pk=specialty.pk)
        .first()
    )
    if node is None:
        raise ApplicationError("该专业由其他机构维护，您无权修改或删除")
    return node


@transaction.atomic
def specialty_create(*, actor: User, parent: Specialty | None, code: str, name: str) -> Specialty:
    """新增专业 under a selected node. 栏目大类 (top level) cannot be added."""
    require_perm(actor, "catalog.add_specialty")
    if parent is None:
        raise ApplicationError("栏目大类随系统提供，不能新增；请先选择上级节点")
    locked = Specialty.objects.select_for_update(of=("self",)).filter(pk=parent.pk).first()
    if locked is None:
        raise ApplicationError("上级节点不存在")
    if not locked.is_standard and not selectors.specialty_can_manage(user=actor, specialty=locked):
        raise ApplicationError("上级节点由其他机构维护，不能在其下新增专业")
    code = normalize_code(_clean_text(code, "专业代码"))
    name = _clean_text(name, "专业学科名称")
    _check_specialty_code_free(code)
    node = Specialty(code=code, name=name, owner_organization=actor.organization)
    full_clean_or_raise(node, exclude=TREE_FIELDS)
    try:
        with transaction.atomic():
            return Specialty.objects.add_child(locked, instance=node)
    except IntegrityError:
        raise ApplicationError(f"专业代码“{code}”已被使用") from None


@transaction.atomic
def specialty_update(
    *, actor: User, specialty: Specialty, code: str | None = None, name: str | None = None
) -> Specialty:
    """修改专业代码或专业学科名称."""
    require_perm(actor, "catalog.change_specialty")
    node = _lock_manageable_specialty(actor, specialty)
    if node.is_category:
        raise ApplicationError("栏目大类随系统提供（学科门类国家标准），不能修改")
    if code is not None:
        node.code = normalize_code(_clean_text(code, "专业代码"))
        _check_specialty_code_free(node.code, exclude_pk=node.pk)
    if name is not None:
        node.name = _clean_text(name, "专业学科名称")
    full_clean_or_raise(node, exclude=TREE_FIELDS)
    try:
        with transaction.atomic():
            node.save()
    except IntegrityError:
        raise ApplicationError(f"专业代码“{node.code}”已被使用") from None
    return node


def specialty_delete_refusal(specialty: Specialty) -> str | None:
    """Why the node cannot be deleted (``None`` when it can): the one rule for page and API."""
    if specialty.is_category:
        return "栏目大类随系统提供，不能删除"
    children = Specialty.objects.filter(
        path__startswith=specialty.path, depth=specialty.depth + 1
    ).count()
    if children:
        return f"该专业下还有 {children} 个下级专业，请先删除下级专业"
    used = usages(specialty)
    if used:
        return f"该专业已被使用（{'、'.join(used)}），不能删除"
    return None


@transaction.atomic
def specialty_delete(*, actor: User, specialty: Specialty) -> None:
    """删除栏目: refused with the reason while the node has children or is used."""
    require_perm(actor, "catalog.delete_specialty")
    node = _lock_manageable_specialty(actor, specialty)
    parent = selectors.specialty_parent(node)
    if parent is not None:
        Specialty.objects.select_for_update(of=("self",)).filter(pk=parent.pk).first()
    refusal = specialty_delete_refusal(node)
    if refusal:
        raise ApplicationError(refusal)
    operation_record(actor=actor, operation="delete", obj=node, summary=f"删除职称专业 {node}")
    _delete(node, "该专业已被使用")


# --- Titles ---------------------------------------------------------------------------------


def _check_title_name_free(series: TitleSeries, name: str, *, exclude_pk=None) -> None:
    if Title.objects.filter(series=series, name=name).exclude(pk=exclude_pk).exists():
        raise ApplicationError(f"职称系列“{series}”下已有职称“{name}”")


def _check_level(level: str) -> str:
    if level not in TitleLevel.values:
        raise ApplicationError("请选择职称级别（正高级/副高级/中级/助理级/员级）")
    return level


def _lock_manageable_title(actor: User, title: Title) -> Title:
    locked = (
        selectors.title_manageable(user=actor)
        .select_for_update(of=("self",))
        .select_related("series")
        .filter(pk=title.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError("该职称由其他机构维护，您无权修改或删除")
    return locked


@transaction.atomic
def title_create(*, actor: User, series: TitleSeries, level: str, name: str) -> Title:
    """新增职称 under a series: choose 职称级别, enter 职称名称. Series are not added here."""
    require_perm(actor, "catalog.add_title")
    if series is None:
        raise ApplicationError("请先选择职称系列")
    series = TitleSeries.objects.select_for_update(of=("self",)).filter(pk=series.pk).first()
    if series is None:
        raise ApplicationError("职称系列不存在")
    if selectors.title_series_has_children(series):
        raise ApplicationError(f"职称系列“{series}”下设子系列，请选择具体的子系列后新增职称")
    level = _check_level(level)
    name = _clean_text(name, "职称名称")
    _check_title_name_free(series, name)
    title = Title(series=series, level=level, name=name, owner_organization=actor.organization)
    full_clean_or_raise(title)
    try:
        with transaction.atomic():
            title.save()
    except IntegrityError:
        raise ApplicationError(f"职称系列“{series}”下已有职称“{name}”") from None
    return title


@transaction.atomic
def title_update(
    *, actor: User, title: Title, level: str | None = None, name: str | None = None
) -> Title:
    """修改职称级别或职称名称."""
    require_perm(actor, "catalog.change_title")
    locked = _lock_manageable_title(actor, title)
    if level is not None:
        locked.level = _check_level(level)
    if name is not None:
        locked.name = _clean_text(name, "职称名称")
        _check_title_name_free(locked.series, locked.name, exclude_pk=locked.pk)
    full_clean_or_raise(locked)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ApplicationError(f"职称系列“{locked.series}”下已有职称“{locked.name}”") from None
    return locked


def title_delete_refusal(title: Title) -> str | None:
    used = usages(title)
    if used:
        return f"该职称已被使用（{'、'.join(used)}），不能删除"
    return None


@transaction.atomic
def title_delete(*, actor: User, title: Title) -> None:
    require_perm(actor, "catalog.delete_title")
    locked = _lock_manageable_title(actor, title)
    refusal = title_delete_refusal(locked)
    if refusal:
        raise ApplicationError(refusal)
    operation_record(
        actor=actor, operation="delete", obj=locked, summary=f"删除职称 {locked.series}·{locked}"
    )
    _delete(locked, "该职称已被使用")


# --- Bulk import of specialties (1.1 导入; the tabular engine's commit) ---------------------

LOOKUP_CHUNK = 5000  # values per ``IN (…)``: SQLite caps the number of query parameters


@dataclass(frozen=True)
class SpecialtyDraft:
    """One specialty of an import file; ``parent_code`` is an existing node or an earlier row."""

    code: str
    name: str
    parent_code: str
    label: str = ""  # e.g. "第5行", for messages about other rows


def _chunks(values: set[str]):
    items = sorted(values)
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def _draft_problem(draft: SpecialtyDraft) -> str:
    if not draft.code or not draft.name or not draft.parent_code:
        return "专业代码、专业学科名称和上级专业代码均不能为空"
    try:
        CODE_VALIDATOR(draft.code)
    except ValidationError as exc:
        return "；".join(exc.messages)
    if len(draft.name) > 100:
        return "专业学科名称不能超过100个字符"
    return ""


def specialty_bulk_check(
    *, actor: User, drafts: list[SpecialtyDraft], failed_codes: dict[str, str] | None = None
) -> dict[int, str]:
    """Errors by draft index — bad values, duplicates, codes in use, unknown or foreign parents —
    with preloaded dicts (a few indexed queries for any number of rows)."""
    failed_codes = {normalize_code(c): label for c, label in (failed_codes or {}).items()}
    wanted = {normalize_code(d.code) for d in drafts} | {
        normalize_code(d.parent_code) for d in drafts
    }
    in_db: dict[str, dict] = {}
    for chunk in _chunks(wanted):
        for row in Specialty.objects.filter(code__in=chunk).values(
            "code", "name", "owner_organization_id"
        ):
            in_db[row["code"]] = row
    foreign = {
        code
        for d in drafts
        if (code := normalize_code(d.parent_code)) in in_db
        and in_db[code]["owner_organization_id"] is not None
    }
    manageable: set[str] = set()
    for chunk in _chunks(foreign):
        manageable.update(
            selectors.specialty_manageable(user=actor)
            .filter(code__in=chunk)
            .values_list("code", flat=True)
        )
    errors: dict[int, str] = {}
    in_file: dict[str, str] = {}  # code → label of the earlier valid row that adds it
    for index, draft in enumerate(drafts):
        code, parent = normalize_code(draft.code), normalize_code(draft.parent_code)
        problem = _draft_problem(draft)
        if problem:
            errors[index] = problem
        elif code in in_file:
            errors[index] = f"专业代码“{code}”与{in_file[code]}重复"
        elif code in in_db:
            errors[index] = f"专业代码“{code}”已被“{in_db[code]['name']}”使用"
        elif parent == code:
            errors[index] = "上级专业代码不能是本专业自己的代码"
        elif parent in foreign and parent not in manageable:
            errors[index] = f"上级专业“{parent}”由其他机构维护，不能在其下新增专业"
        elif parent in in_db or parent in in_file:
            pass
        elif parent in failed_codes:
            errors[index] = f"上级专业“{parent}”所在的{failed_codes[parent]}校验失败"
        else:
            errors[index] = f"上级专业代码“{parent}”不存在（须为已有专业或本文件中前面的行）"
        if index in errors:
            failed_codes.setdefault(code, draft.label or f"第{index + 1}条")
        else:
            in_file[code] = draft.label or f"第{index + 1}条"
    return errors


@transaction.atomic
def specialty_bulk_create(*, actor: User, drafts: list[SpecialtyDraft]) -> list[Specialty]:
    """Add many specialties at once: checked as a whole (nothing is written if any row is
    refused), paths computed in memory, one ``bulk_create`` and one ``bulk_update``."""
    require_perm(actor, "catalog.add_specialty")
    drafts = [
        SpecialtyDraft(
            code=normalize_code(d.code),
            name=(d.name or "").strip(),
            parent_code=normalize_code(d.parent_code),
            label=d.label,
        )
        for d in drafts
    ]
    errors = specialty_bulk_check(actor=actor, drafts=drafts)
    if errors:
        index, message = min(errors.items())
        raise ApplicationError(f"{drafts[index].label or f'第{index + 1}条'}：{message}")
    new_codes = {d.code for d in drafts}
    parent_codes = {d.parent_code for d in drafts} - new_codes
    parents: dict[str, Specialty] = {}
    for chunk in _chunks(parent_codes):
        for parent in Specialty.objects.select_for_update(of=("self",)).filter(code__in=chunk):
            parents[parent.code] = parent
    # Last child position under each existing parent, in one query per chunk of parents.
    step = Specialty.steplen
    next_pos: dict[str, int] = {}
    for chunk in _chunks({p.path for p in parents.values()}):
        rows = (
            Specialty.objects.filter(depth__gt=1)
            .annotate(parent_path=Substr("path", 1, Length("path") - step))
            .filter(parent_path__in=chunk)
            .values("parent_path")
            .annotate(last=Max("path"))
            .values_list("parent_path", "last")
        )
        next_pos.update({path: str2int(last[-step:]) for path, last in rows})
    nodes: dict[str, Specialty] = {}
    owner = actor.organization
    for draft in drafts:
        parent = nodes.get(draft.parent_code) or parents[draft.parent_code]
        position = next_pos.get(parent.path, 0) + 1
        next_pos[parent.path] = position
        nodes[draft.code] = Specialty(
            code=draft.code,
            name=draft.name,
            owner_organization=owner,
            path=parent.path + int2str(position),
            depth=parent.depth + 1,
            numchild=0,
        )
        parent.numchild += 1
    try:
        with transaction.atomic():
            created = Specialty.objects.bulk_create(list(nodes.values()), batch_size=1000)
            Specialty.objects.bulk_update(list(parents.values()), ["numchild"], batch_size=1000)
    except IntegrityError:
        raise ApplicationError("专业代码已被使用，请重新导入") from None
    return created
