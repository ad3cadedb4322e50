"""Writes of 1.3 (acceptance offices) and 1.4–1.8 (review routes).

Review routes are built **top-down**: a 下级机构 can only be added under an institution that is
already on the route — it is the top itself (an active acceptance office of that level and
method, or an organizer of an active committee of that level) or it already has a superior on
that route. So every active edge belongs to a chain that reaches a valid top when it is written,
an officer learns at once when they picked the wrong institution or level, and the message names
the link to configure first. Cycles and a second superior are refused; a 下级机构 that still has
下级机构 of its own cannot be deregistered (unless it is a valid top itself), so deregistering
never silently cuts off a subtree. What can still break a route from outside — an acceptance
office deregistered, a committee expired, an organization deregistered — is reported as the
missing link when a route is resolved (preview page, applications).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.services import record_deregister
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.routing.models import (
    NODE_TYPE_ORG_TYPES,
    OFFICE_METHODS,
    ROUTE_KIND_LEVELS,
    AcceptanceOffice,
    DeregistrableRecord,
    NodeType,
    RecordStatus,
    RouteEdge,
    RouteKind,
)
from zhicheng.routing.resolve import RouteGraph, route_label, top_label

NOTICE_MAX_CHARS = 20_000
_NODE_TYPES = frozenset(NodeType.values)


class OrgLike(Protocol):
    """An ``Organization`` or a lighter record with the same facts (``selectors.OrgRef``)."""

    pk: int
    name: str
    org_type: str

    @property
    def is_active(self) -> bool: ...


# --- shared checks ----------------------------------------------------------------------------


def check_org_in_scope(*, actor: User, organization: Organization, what: str = "机构") -> None:
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError(f"{what}不存在或不在您的管辖范围内")


def node_type_problem(node_type: str, organization: OrgLike) -> str:
    """Why ``organization`` cannot play ``node_type`` ("" when it can)."""
    if node_type not in _NODE_TYPES:
        return f"节点类型“{node_type}”无效，可选：{'、'.join(NodeType.labels)}"
    allowed = NODE_TYPE_ORG_TYPES.get(node_type)
    if allowed and organization.org_type not in allowed:
        return (
            f"{organization.name} 是{OrgType(organization.org_type).label}，"
            f"不能作为“{NodeType(node_type).label}”节点"
        )
    return ""


def _check_level(level: str) -> None:
    if level not in TitleLevel.values:
        raise ApplicationError(f"职称等级“{level}”无效")


def _deregister(record: DeregistrableRecord, *, actor: User, reason: str, summary: str) -> None:
    """注销 an office or a route link (the 注销原因 is optional here)."""
    record_deregister(
        record,
        actor=actor,
        reason=reason,
        reason_required=False,
        already="该记录已注销，不能重复注销",
        summary=summary,
    )


def _save(record) -> None:
    """full_clean and save; a lost race on a unique constraint becomes a clear message."""
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ApplicationError("数据已被他人修改（重复记录），请刷新后重试") from None


# --- 1.3 acceptance offices -------------------------------------------------------------------


def office_problem(
    *,
    organization: Organization,
    node_type: str,
    level: str,
    acquisition_method: str,
    exclude_pk: int | None = None,
) -> str:
    """Why this office cannot be saved ("" when it can). Scope is checked by the caller."""
    if acquisition_method not in OFFICE_METHODS:
        return "取得方式只能是初定或认定"
    if level not in TitleLevel.values:
        return f"职称等级“{level}”无效"
    if not organization.is_active:
        return f"机构 {organization.name} 已注销，不能设为受理机构"
    problem = node_type_problem(node_type, organization)
    if problem:
        return problem
    duplicate = (
        AcceptanceOffice.objects.active()
        .filter(organization=organization, level=level, acquisition_method=acquisition_method)
        .exclude(pk=exclude_pk)
    )
    if duplicate.exists():
        return (
            f"{organization.name} 已是{TitleLevel(level).label}"
            f"{AcquisitionMethod(acquisition_method).label}的受理机构"
        )
    return ""


@transaction.atomic
def acceptance_office_create(
    *,
    actor: User,
    organization: Organization,
    node_type: str,
    level: str,
    acquisition_method: str,
    notice: str = "",
) -> AcceptanceOffice:
    require_perm(actor, "routing.add_acceptanceoffice")
    check_org_in_scope(actor=actor, organization=organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    problem = office_problem(
        organization=organization,
        node_type=node_type,
        level=level,
        acquisition_method=acquisition_method,
    )
    if problem:
        raise ApplicationError(problem)
    office = AcceptanceOffice(
        organization=organization,
        node_type=node_type,
        level=level,
        acquisition_method=acquisition_method,
        notice=_clean_notice(notice),
        created_by=actor,
    )
    _save(office)
    return office


def _lock_office(*, actor: User, office: AcceptanceOffice) -> AcceptanceOffice:
    locked = (
        scoped(AcceptanceOffice.objects.select_for_update(), actor).filter(pk=office.pk).first()
    )
    if locked is None:
        raise ApplicationError("受理机构不存在或不在您的管辖范围内")
    return locked


@transaction.atomic
def acceptance_office_update(
    *,
    actor: User,
    office: AcceptanceOffice,
    organization: Organization | None = None,
    node_type: str | None = None,
    level: str | None = None,
    acquisition_method: str | None = None,
) -> AcceptanceOffice:
    require_perm(actor, "routing.change_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    if not office.is_active:
        raise ApplicationError("已注销的受理机构不能修改")
    if organization is not None and organization.pk != office.organization_id:
        check_org_in_scope(actor=actor, organization=organization)
        office.organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if node_type is not None:
        office.node_type = node_type
    if level is not None:
        office.level = level
    if acquisition_method is not None:
        office.acquisition_method = acquisition_method
    problem = office_problem(
        organization=office.organization,
        node_type=office.node_type,
        level=office.level,
        acquisition_method=office.acquisition_method,
        exclude_pk=office.pk,
    )
    if problem:
        raise ApplicationError(problem)
    _save(office)
    return office


def _clean_notice(notice: str) -> str:
    text = (notice or "").replace("\r\n", "\n").strip()
    if len(text) > NOTICE_MAX_CHARS:
        raise ApplicationError(f"申报须知最多{NOTICE_MAX_CHARS}字，当前{len(text)}字")
    return text


@transaction.atomic
def acceptance_office_notice_update(
    *, actor: User, office: AcceptanceOffice, notice: str
) -> AcceptanceOffice:
    """申报须知: stored as text; shown through ``notice_html`` (escaped, light formatting)."""
    require_perm(actor, "routing.change_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    if not office.is_active:
        raise ApplicationError("已注销的受理机构不能修改申报须知")
    office.notice = _clean_notice(notice)
    office.save(update_fields=["notice", "updated_at"])
    return office


@transaction.atomic
def acceptance_office_deregister(
    *, actor: User, office: AcceptanceOffice, reason: str = ""
) -> AcceptanceOffice:
    """注销: the office accepts no new applications; the row and its history stay."""
    require_perm(actor, "routing.deregister_acceptanceoffice")
    office = _lock_office(actor=actor, office=office)
    _deregister(office, actor=actor, reason=reason, summary=f"注销受理机构 {office}")
    return office


# --- 1.4–1.8 review routes --------------------------------------------------------------------


def lock_route(kind: str, level: str) -> None:
    """Serialise writers of one (kind, level) route so two edges never close a cycle together.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: transactions already take the write
    lock at BEGIN (``transaction_mode = IMMEDIATE``), so writers are serialised anyway.
    """
    if connection.vendor == "postgresql":
        key = RouteKind.values.index(kind) * 100 + TitleLevel.values.index(level)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_201, key])


def check_route_kind_level(kind: str, level: str) -> None:
    if kind not in RouteKind.values:
        raise ApplicationError(f"审核路径类型“{kind}”无效")
    _check_level(level)
    if level not in ROUTE_KIND_LEVELS[kind]:
        allowed = "、".join(TitleLevel(v).label for v in ROUTE_KIND_LEVELS[kind])
        raise ApplicationError(f"{RouteKind(kind).label}审核路径只适用于{allowed}职称")


class EdgeChecker:
    """The route rules for new links of one (kind, level), against a route held in memory.

    Used by the single-edge services and, row by row, by the import (which adds each accepted
    row to the graph so later rows are checked against earlier ones).
    """

    def __init__(self, kind: str, level: str, graph: RouteGraph | None = None) -> None:
        self.kind = kind
        self.level = level
        self.label = route_label(kind, level)
        self.graph = graph or RouteGraph.load(kind, level)
        self._names: dict[int, str] = {}

    def name(self, pk: int) -> str:
        if pk not in self._names:
            self._names[pk] = (
                Organization.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
            )
        return self._names[pk]

    def remember(self, org: OrgLike) -> None:
        self._names[org.pk] = org.name

    def superior_problem(self, superior: OrgLike) -> str:
        """Why nothing can be added under ``superior`` yet ("" when it is on the route)."""
        self.remember(superior)
        if not superior.is_active:
            return f"上级机构 {superior.name} 已注销"
        way, _cyclic = self.graph.walk_up(superior.pk)
        top = way[-1]
        if top in self.graph.tops:
            return ""
        what = top_label(self.kind)
        if top == superior.pk:
            return (
                f"上级机构 {superior.name} 尚未接入{self.label}审核路径：它不是有效的{what}，"
                f"也没有配置上级机构。请先配置它的上级机构（审核路径自上而下配置）"
            )
        return (
            f"上级机构 {superior.name} 所在路径的顶端 {self.name(top)} 不是有效的{what}"
            f"（{self.label}），请先修复该路径"
        )

    def subordinate_problem(
        self, *, superior: OrgLike, subordinate: OrgLike, node_type: str
    ) -> str:
        """Why ``subordinate`` cannot be linked under ``superior`` ("" when it can)."""
        self.remember(subordinate)
        if subordinate.pk == superior.pk:
            return "上级机构和下级机构不能是同一机构"
        if not subordinate.is_active:
            return f"机构 {subordinate.name} 已注销，不能加入审核路径"
        problem = node_type_problem(node_type, subordinate)
        if problem:
            return problem
        current = self.graph.superior_of.get(subordinate.pk)
        if current is not None:
            if current == superior.pk:
                return f"{subordinate.name} 已是 {superior.name} 的下级机构（{self.label}）"
            return (
                f"{subordinate.name} 在{self.label}审核路径中已有上级机构 {self.name(current)}，"
                "一个机构只能有一个上级"
            )
        way, _cyclic = self.graph.walk_up(superior.pk)
        if subordinate.pk in way:
            return (
                f"不能把 {subordinate.name} 设为 {superior.name} 的下级：{subordinate.name} "
                f"已在 {superior.name} 的上级路径中（{self.label}），会形成循环"
            )
        return ""

    def children_count(self, org_id: int) -> int:
        return sum(1 for sup in self.graph.superior_of.values() if sup == org_id)


def _edge_rule_error(checker: EdgeChecker, superior, subordinate, node_type) -> None:
    problem = checker.subordinate_problem(
        superior=superior, subordinate=subordinate, node_type=node_type
    ) or checker.superior_problem(superior)
    if problem:
        raise ApplicationError(problem)


@transaction.atomic
def route_edge_create(
    *,
    actor: User,
    kind: str,
    level: str,
    superior: Organization,
    subordinate: Organization,
    node_type: str,
) -> RouteEdge:
    """Add ``subordinate`` as a 下级机构 of ``superior`` on the (kind, level) route."""
    require_perm(actor, "routing.add_routeedge")
    check_route_kind_level(kind, level)
    check_org_in_scope(actor=actor, organization=superior, what="上级机构")
    check_org_in_scope(actor=actor, organization=subordinate, what="下级机构")
    lock_route(kind, level)
    superior = Organization.objects.get(pk=superior.pk)
    subordinate = Organization.objects.get(pk=subordinate.pk)
    _edge_rule_error(EdgeChecker(kind, level), superior, subordinate, node_type)
    edge = RouteEdge(
        kind=kind,
        level=level,
        superior=superior,
        subordinate=subordinate,
        node_type=node_type,
        created_by=actor,
    )
    _save(edge)
    return edge


def _lock_edge(*, actor: User, edge: RouteEdge) -> RouteEdge:
    locked = scoped(RouteEdge.objects.select_for_update(), actor).filter(pk=edge.pk).first()
    if locked is None:
        raise ApplicationError("审核路径记录不存在或不在您的管辖范围内")
    return locked


@transaction.atomic
def route_edge_update(
    *,
    actor: User,
    edge: RouteEdge,
    node_type: str | None = None,
    subordinate: Organization | None = None,
    superior: Organization | None = None,
) -> RouteEdge:
    """修改: the node type, the subordinate organization, or move it (and its 下级) elsewhere."""
    require_perm(actor, "routing.change_routeedge")
    edge = _lock_edge(actor=actor, edge=edge)
    if not edge.is_active:
        raise ApplicationError("已注销的审核路径记录不能修改")
    lock_route(edge.kind, edge.level)
    checker = EdgeChecker(edge.kind, edge.level)
    new_superior = edge.superior
    new_subordinate = edge.subordinate
    if superior is not None and superior.pk != edge.superior_id:
        check_org_in_scope(actor=actor, organization=superior, what="上级机构")
        new_superior = Organization.objects.get(pk=superior.pk)
    if subordinate is not None and subordinate.pk != edge.subordinate_id:
        check_org_in_scope(actor=actor, organization=subordinate, what="下级机构")
        children = checker.children_count(edge.subordinate_id)
        if children and edge.subordinate_id not in checker.graph.tops:
            raise ApplicationError(
                f"{edge.subordinate.name} 在此审核路径中还有 {children} 个下级机构，"
                "不能更换为其他机构；请先调整这些下级机构"
            )
        new_subordinate = Organization.objects.get(pk=subordinate.pk)
    new_node_type = node_type if node_type is not None else edge.node_type
    # Check the edited link as if it were new: take the old one out of the route first.
    checker.graph.remove(subordinate=edge.subordinate_id)
    _edge_rule_error(checker, new_superior, new_subordinate, new_node_type)
    edge.superior = new_superior
    edge.subordinate = new_subordinate
    edge.node_type = new_node_type
    _save(edge)
    return edge


@transaction.atomic
def route_edge_deregister(*, actor: User, edge: RouteEdge, reason: str = "") -> RouteEdge:
    """注销 a 下级机构. Refused while it has 下级机构 that would be cut off from the top."""
    require_perm(actor, "routing.deregister_routeedge")
    edge = _lock_edge(actor=actor, edge=edge)
    if edge.is_active:
        lock_route(edge.kind, edge.level)
        checker = EdgeChecker(edge.kind, edge.level)
        children = checker.children_count(edge.subordinate_id)
        if children and edge.subordinate_id not in checker.graph.tops:
            raise ApplicationError(
                f"{edge.subordinate.name} 在此审核路径中还有 {children} 个下级机构，"
                "请先注销或调整这些下级机构"
            )
    _deregister(edge, actor=actor, reason=reason, summary=f"注销审核路径下级机构 {edge}")
    return edge


# --- bulk (the Excel imports) -----------------------------------------------------------------

MAX_LISTED = 5


@dataclass(frozen=True)
class OfficeDraft:
    organization: OrgLike
    node_type: str
    label: str = ""  # where the draft comes from, e.g. "第3行"


@dataclass(frozen=True)
class EdgeDraft:
    superior: OrgLike
    subordinate: OrgLike
    node_type: str
    label: str = ""


def _refuse_listed(errors: dict[int, str], drafts) -> None:
    if errors:
        listed = "；".join(
            f"{drafts[i].label or f'第{i + 1}条'}：{message}"
            for i, message in list(errors.items())[:MAX_LISTED]
        )
        more = f"等共{len(errors)}条" if len(errors) > MAX_LISTED else ""
        raise ApplicationError(f"{listed}{more}")


def acceptance_office_bulk_check(
    *, level: str, acquisition_method: str, drafts: Sequence[OfficeDraft]
) -> dict[int, str]:
    """index → why that draft cannot become an office (a few queries for any number of rows).

    The organizations come from a scoped look-up; level and method are checked by the caller.
    """
    existing = set(
        AcceptanceOffice.objects.active()
        .filter(level=level, acquisition_method=acquisition_method)
        .values_list("organization_id", flat=True)
    )
    what = f"{TitleLevel(level).label}{AcquisitionMethod(acquisition_method).label}的受理机构"
    seen: dict[int, str] = {}
    errors: dict[int, str] = {}
    for index, draft in enumerate(drafts):
        org = draft.organization
        if not org.is_active:
            message = f"机构 {org.name} 已注销，不能设为受理机构"
        elif org.pk in existing:
            message = f"{org.name} 已是{what}"
        elif org.pk in seen:
            message = f"与{seen[org.pk]}是同一机构"
        else:
            message = node_type_problem(draft.node_type, org)
        seen.setdefault(org.pk, draft.label or f"第{index + 1}条")
        if message:
            errors[index] = message
    return errors


def check_office_level_method(level: str, acquisition_method: str) -> None:
    if acquisition_method not in OFFICE_METHODS:
        raise ApplicationError("取得方式只能是初定或认定")
    _check_level(level)


def _drafts_in_scope(actor: User, ids: Sequence[int]) -> dict[int, OrgLike]:
    """The organizations behind ``ids``, all of which must be in the actor's scope."""
    from zhicheng.routing.selectors import organization_index

    found = organization_index(user=actor, ids=ids).by_id
    if any(pk not in found for pk in ids):
        raise ApplicationError("部分机构不存在或不在您的管辖范围内")
    return found


def _insert_rows(model, fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """INSERT many rows with one ``executemany``.

    ``bulk_create`` builds a model instance and prepares every value of every row in Python,
    and SQLite caps one statement at 999 parameters, so a 10,000-row import spent seconds
    there. Here the values are already in database form (the caller prepares shared values
    such as timestamps once), and the rows were fully validated in bulk before.
    """
    if not rows:
        return 0
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})", list(rows)
        )
    return len(rows)


def _audit_columns(model, actor: User) -> tuple[tuple[str, ...], tuple]:
    """The status/history columns of a new routing row, with their database values."""
    now = timezone.now()
    created_at = model._meta.get_field("created_at").get_db_prep_value(now, connection)
    fields = (
        "status",
        "deregister_reason",
        "deregistered_by",
        "deregistered_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    return fields, (RecordStatus.ACTIVE.value, "", None, None, actor.pk, created_at, created_at)


@transaction.atomic
def acceptance_office_bulk_create(
    *,
    actor: User,
    level: str,
    acquisition_method: str,
    items: Sequence[tuple[int, str]],
) -> int:
    """批量导入受理机构 from (organization id, node type) pairs: all or nothing, every rule of
    the single create checked in bulk. Returns the number of offices created."""
    require_perm(actor, "routing.add_acceptanceoffice")
    check_office_level_method(level, acquisition_method)
    orgs = _drafts_in_scope(actor, [pk for pk, _ in items])
    drafts = [
        OfficeDraft(organization=orgs[pk], node_type=node_type, label=f"第{i + 1}条")
        for i, (pk, node_type) in enumerate(items)
    ]
    _refuse_listed(
        acceptance_office_bulk_check(
            level=level, acquisition_method=acquisition_method, drafts=drafts
        ),
        drafts,
    )
    audit_fields, audit_values = _audit_columns(AcceptanceOffice, actor)
    fields = (*audit_fields, "organization", "node_type", "level", "acquisition_method", "notice")
    rows = [
        (*audit_values, d.organization.pk, d.node_type, level, acquisition_method, "")
        for d in drafts
    ]
    return _insert_rows(AcceptanceOffice, fields, rows)


def route_edge_bulk_check(
    *, kind: str, level: str, drafts: Sequence[EdgeDraft], checker: EdgeChecker | None = None
) -> dict[int, str]:
    """index → why that link cannot be added, checking the drafts in order against the route
    and against the drafts accepted before them (so a file may build a route top-down)."""
    check_route_kind_level(kind, level)
    checker = checker or EdgeChecker(kind, level)
    errors: dict[int, str] = {}
    for index, draft in enumerate(drafts):
        problem = checker.subordinate_problem(
            superior=draft.superior, subordinate=draft.subordinate, node_type=draft.node_type
        ) or checker.superior_problem(draft.superior)
        if problem:
            errors[index] = problem
        else:
            checker.graph.add(
                superior=draft.superior.pk,
                subordinate=draft.subordinate.pk,
                node_type=draft.node_type,
            )
    return errors


@transaction.atomic
def route_edge_bulk_create(
    *, actor: User, kind: str, level: str, items: Sequence[tuple[int, int, str]]
) -> int:
    """批量导入下级机构 from (superior id, subordinate id, node type) triples: all or nothing,
    the route rules checked in bulk under the route lock. Returns the number of links."""
    require_perm(actor, "routing.add_routeedge")
    check_route_kind_level(kind, level)
    orgs = _drafts_in_scope(actor, [pk for sup, sub, _ in items for pk in (sup, sub)])
    lock_route(kind, level)
    drafts = [
        EdgeDraft(
            superior=orgs[sup], subordinate=orgs[sub], node_type=node_type, label=f"第{i + 1}条"
        )
        for i, (sup, sub, node_type) in enumerate(items)
    ]
    _refuse_listed(route_edge_bulk_check(kind=kind, level=level, drafts=drafts), drafts)
    audit_fields, audit_values = _audit_columns(RouteEdge, actor)
    fields = (*audit_fields, "kind", "level", "superior", "subordinate", "node_type")
    rows = [
        (*audit_values, kind, level, d.superior.pk, d.subordinate.pk, d.node_type) for d in drafts
    ]
    return _insert_rows(RouteEdge, fields, rows)
