from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Substr
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.orgs.models import Organization, OrgStatus


def _check_parent_in_scope(*, actor: User, parent: Organization) -> None:
    if not scoped(Organization.objects.filter(pk=parent.pk), actor).exists():
        raise ApplicationError("上级机构不在您的管辖范围内")


@transaction.atomic
def organization_create(
    *,
    actor: User,
    parent: Organization | None,
    name: str,
    uscc: str,
    org_type: str,
    region_code: str,
) -> Organization:
    require_perm(actor, "orgs.add_organization")
    node = Organization(name=name.strip(), uscc=uscc, org_type=org_type, region_code=region_code)
    node.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        if not actor.is_superuser:
            raise ApplicationError("只有超级管理员可以新建顶级机构")
        return Organization.objects.add_root(instance=node)
    _check_parent_in_scope(actor=actor, parent=parent)
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    if not parent.is_active:
        raise ApplicationError("上级机构已注销，不能在其下新增机构")
    return Organization.objects.add_child(parent, instance=node)


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields) -> Organization:
    require_perm(actor, "orgs.change_organization")
    org = scoped(Organization.objects.select_for_update(), actor).filter(pk=organization.pk).first()
    if org is None:
        raise ApplicationError("机构不在您的管辖范围内")
    for key in ("name", "uscc", "org_type", "region_code"):
        if key in fields:
            setattr(org, key, fields[key].strip() if isinstance(fields[key], str) else fields[key])
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    return org


@transaction.atomic
def organization_deregister(*, actor: User, organization: Organization) -> Organization:
    require_perm(actor, "orgs.deregister_organization")
    org = scoped(Organization.objects.select_for_update(), actor).filter(pk=organization.pk).first()
    if org is None:
        raise ApplicationError("机构不在您的管辖范围内")
    if org.pk == actor.organization_id:
        raise ApplicationError("不能注销本人所属机构")
    if not org.is_active:
        raise ApplicationError("该机构已注销")
    if Organization.objects.get_children(org).filter(status=OrgStatus.ACTIVE).exists():
        raise ApplicationError("该机构下仍有正常状态的下级机构，请先注销下级机构")
    transition(
        org,
        "deregister",
        actor=actor,
        save=lambda org: org.save(update_fields=["status", "updated_at", "name_initials"]),
        summary=f"注销机构 {org.name}",
    )
    return org


# --- Bulk insert (the Excel import) ---------------------------------------------------------

_IN_CHUNK = 2000
_BULK_FIELDS = tuple(
    Organization._meta.get_field(name) for name in ("name", "uscc", "org_type", "region_code")
)
_PINYIN = Pinyin(UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False))


@lru_cache(maxsize=100_000)
def _word_initials(word: str) -> str:
    return "".join(_PINYIN.lazy_pinyin([word], style=Style.FIRST_LETTER, errors="default"))


def pinyin_initials_many(names: Sequence[str]) -> list[str]:
    """``pinyin_initials`` of many names, equal to it name by name, several times faster:
    pypinyin segments each name into words exactly as ``lazy_pinyin`` does, and the (costly)
    conversion of a word — 有限公司, 人力资源 … recur in most names — is cached."""
    return ["".join(_word_initials(w) for w in _PINYIN.seg(name)).lower() for name in names]


@dataclass(frozen=True)
class OrganizationDraft:
    """One organization to insert in bulk, under ``parent_uscc`` (in the DB or earlier in the
    list). ``label`` names it in messages, e.g. ``第5行``."""

    name: str
    uscc: str
    org_type: str
    region_code: str
    parent_uscc: str
    label: str = ""


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def organization_bulk_check(
    *,
    actor: User,
    drafts: Sequence[OrganizationDraft],
    failed_codes: Mapping[str, str] | None = None,
) -> dict[int, str]:
    """The rules of a bulk insert, checked with a few queries: index → message for each draft
    whose code is already registered or repeated in the list, or whose parent is missing, out
    of the actor's scope, deregistered, listed after it, or itself refused. ``failed_codes``
    (code → label) names drafts the caller already refused, for clearer messages."""
    failed_codes = failed_codes or {}
    codes = [d.uscc for d in drafts]
    existing: set[str] = set()
    for chunk in _chunks(sorted(set(codes))):
        existing.update(Organization.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    wanted_parents = sorted({d.parent_uscc for d in drafts})
    parents: dict[str, str] = {}
    for chunk in _chunks(wanted_parents):
        parents.update(
            scoped(Organization.objects.filter(uscc__in=chunk), actor).values_list("uscc", "status")
        )
    position = {code: i for i, code in reversed(list(enumerate(codes)))}
    accepted: dict[str, str] = {}
    seen: dict[str, str] = {}
    errors: dict[int, str] = {}
    for index, draft in enumerate(drafts):
        message = ""
        parent = draft.parent_uscc
        if draft.uscc in existing:
            message = "统一社会信用代码已存在（系统中已有该机构）"
        elif draft.uscc in seen:
            message = f"统一社会信用代码与{seen[draft.uscc]}重复"
        elif parent == draft.uscc:
            message = "上级机构不能是本机构"
        elif parent in accepted:
            pass
        elif parent in seen or parent in failed_codes:
            message = f"上级机构（{seen.get(parent) or failed_codes[parent]}）未通过校验"
        elif parent in parents:
            if parents[parent] != OrgStatus.ACTIVE:
                message = "上级机构已注销，不能在其下新增机构"
        elif parent in position and position[parent] > index:
            message = f"上级机构须在本机构之前列出（见{drafts[position[parent]].label}）"
        else:
            message = "上级机构不存在或不在您的管辖范围内"
        seen.setdefault(draft.uscc, draft.label or f"第{index + 1}条")
        if message:
            errors[index] = message
        else:
            accepted[draft.uscc] = draft.label
    return errors


@transaction.atomic
def organization_bulk_create(
    *, actor: User, drafts: Sequence[OrganizationDraft]
) -> list[Organization]:
    """Insert many organizations at once (the Excel import): materialized paths are computed
    here and the nodes bulk-inserted parent-first, instead of one ``add_child`` per row.

    All or nothing: the first broken rule raises ``ApplicationError``. Parents are locked and
    their ``numchild`` updated. The caller records the business action (e.g. the import batch).
    """
    require_perm(actor, "orgs.add_organization")
    if not drafts:
        return []
    errors = organization_bulk_check(actor=actor, drafts=drafts)
    if errors:
        index, message = next(iter(errors.items()))
        label = drafts[index].label or f"第{index + 1}条"
        more = f"（另有{len(errors) - 1}条有误）" if len(errors) > 1 else ""
        raise ApplicationError(f"{label}：{message}{more}")

    listed = {d.uscc for d in drafts}
    parent_codes = sorted({d.parent_uscc for d in drafts} - listed)
    db_parents: dict[str, Organization] = {}
    for chunk in _chunks(parent_codes):
        for parent in Organization.objects.select_for_update().filter(uscc__in=chunk):
            if not parent.is_active:  # deregistered since the check, before the lock
                raise ApplicationError(f"上级机构“{parent.name}”已注销，不能在其下新增机构")
            db_parents[parent.uscc] = parent
    # The next free child step under each DB parent: one grouped query per parent depth.
    next_step: dict[str, int] = {}
    steplen = Organization.steplen
    by_depth: dict[int, list[str]] = defaultdict(list)
    for parent in db_parents.values():
        by_depth[parent.depth].append(parent.path)
    for depth, paths in by_depth.items():
        for chunk in _chunks(paths):
            last_children = (
                Organization.objects.filter(depth=depth + 1)
                .annotate(parent_path=Substr("path", 1, depth * steplen))
                .filter(parent_path__in=chunk)
                .values("parent_path")
                .annotate(last=Max("path"))
            )
            for item in last_children:
                next_step[item["parent_path"]] = Organization._str2int(item["last"][-steplen:]) + 1

    max_step = len(Organization.alphabet) ** steplen - 1
    path_length = Organization._meta.get_field("path").max_length
    nodes: dict[str, Organization] = {}
    added_to_db_parent: dict[str, int] = defaultdict(int)
    for draft in drafts:
        node = Organization(
            name=draft.name.strip(),
            uscc=draft.uscc,
            org_type=draft.org_type,
            region_code=draft.region_code,
            status=OrgStatus.ACTIVE,
        )
        # The model's own field rules (length, choices, USCC check character, region code).
        # Not full_clean(): over 10,000 rows its per-row cost (every field, clean() validating
        # the USCC a second time) would be most of the import; uniqueness is checked in bulk.
        try:
            for field in _BULK_FIELDS:
                setattr(node, field.attname, field.clean(getattr(node, field.attname), node))
        except ValidationError as exc:
            raise ApplicationError(f"{draft.label}：{'；'.join(exc.messages)}") from None
        parent = nodes.get(draft.parent_uscc) or db_parents[draft.parent_uscc]
        step = next_step.get(parent.path, 1)
        if step > max_step:
            raise ApplicationError(f"{draft.label}：上级机构“{parent.name}”的下级机构数量已达上限")
        next_step[parent.path] = step + 1
        key = Organization._int2str(step)
        node.path = parent.path + Organization.alphabet[0] * (steplen - len(key)) + key
        if len(node.path) > path_length:
            raise ApplicationError(f"{draft.label}：机构层级过深")
        node.depth = parent.depth + 1
        node.numchild = 0
        parent.numchild += 1
        if parent.uscc in db_parents:
            added_to_db_parent[parent.uscc] += 1
        nodes[node.uscc] = node
    for node, initials in zip(
        nodes.values(), pinyin_initials_many([n.name for n in nodes.values()]), strict=True
    ):
        node.name_initials = initials
    created = Organization.objects.bulk_create(list(nodes.values()), batch_size=1000)
    Organization.objects.bulk_update(
        [db_parents[code] for code in added_to_db_parent], ["numchild"], batch_size=500
    )
    return created
