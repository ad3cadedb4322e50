"""Reads of acceptance offices and review routes, always through the user's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.orgs.models import Organization, OrgStatus
from zhicheng.routing.models import (
    ROUTE_KIND_METHOD,
    AcceptanceOffice,
    RecordStatus,
    RouteEdge,
)
from zhicheng.routing.resolve import RouteChain, route_resolve


def _org_match(prefix: str, term: str) -> Q:
    """机构名称 substring or 统一社会信用代码 prefix."""
    term = term.strip()
    match = Q(**{f"{prefix}__name__contains": term})
    if term.isascii():
        match |= Q(**{f"{prefix}__uscc__startswith": term.upper()})
    return match


def acceptance_office_list(
    *,
    user: User,
    organization: str = "",
    organization_id: int | str | None = None,
    node_type: str = "",
    level: str = "",
    acquisition_method: str = "",
    status: str = "",
) -> QuerySet[AcceptanceOffice]:
    qs = scoped(AcceptanceOffice.objects.all(), user)
    if organization and organization.strip():
        qs = qs.filter(_org_match("organization", organization))
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    if node_type:
        qs = qs.filter(node_type=node_type)
    if level:
        qs = qs.filter(level=level)
    if acquisition_method:
        qs = qs.filter(acquisition_method=acquisition_method)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organization", "deregistered_by").order_by("organization__path", "pk")


def acceptance_office_get(*, user: User, pk) -> AcceptanceOffice:
    return get_scoped_or_404(
        AcceptanceOffice.objects.select_related("organization", "deregistered_by"), user, pk
    )


def route_edge_list(
    *,
    user: User,
    kind: str = "",
    level: str = "",
    superior_id: int | str | None = None,
    subordinate: str = "",
    node_type: str = "",
    status: str = "",
) -> QuerySet[RouteEdge]:
    qs = scoped(RouteEdge.objects.all(), user)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if superior_id:
        qs = qs.filter(superior_id=superior_id)
    if subordinate and subordinate.strip():
        qs = qs.filter(_org_match("subordinate", subordinate))
    if node_type:
        qs = qs.filter(node_type=node_type)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("superior", "subordinate", "deregistered_by").order_by(
        "kind", "level", "superior__path", "subordinate__path", "pk"
    )


def route_edge_get(*, user: User, pk) -> RouteEdge:
    return get_scoped_or_404(
        RouteEdge.objects.select_related("superior", "subordinate", "deregistered_by"), user, pk
    )


def route_preview(*, user: User, employer_id, kind: str, level: str) -> RouteChain:
    """The route preview for an employer the user may see (404 otherwise)."""
    employer = get_scoped_or_404(Organization.objects.all(), user, employer_id)
    return route_resolve(employer, kind, level)


def acceptance_office_for(
    *, employer: Organization, level: str, acquisition_method: str
) -> AcceptanceOffice | None:
    """The active office at the top of the employer's 初定/认定 route (None: no complete route).

    For applicants and employer officers, who read its 申报须知 before applying; internal
    lookup, so the caller decides who may ask.
    """
    kind = next((k for k, m in ROUTE_KIND_METHOD.items() if m == acquisition_method), None)
    if kind is None:
        return None
    chain = route_resolve(employer, kind, level)
    if not chain.complete or chain.top is None:
        return None
    return (
        AcceptanceOffice.objects.select_related("organization")
        .filter(
            organization_id=chain.top.organization_id,
            level=level,
            acquisition_method=acquisition_method,
            status=RecordStatus.ACTIVE,
        )
        .first()
    )


# --- import look-ups --------------------------------------------------------------------------

LOOKUP_CHUNK = 500
_LOOKUP_FIELDS = ("pk", "name", "uscc", "org_type", "status")


def _chunks(values: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True, slots=True)
class OrgRef:
    """The few facts of an organization an import needs (lighter than a model instance)."""

    pk: int
    name: str
    uscc: str
    org_type: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE


@dataclass
class OrganizationIndex:
    """Organizations in a user's scope, found by 统一社会信用代码 or by exact name."""

    by_uscc: dict[str, OrgRef]
    by_name: dict[str, list[OrgRef]]
    by_id: dict[int, OrgRef]

    def find(self, *, uscc: str = "", name: str = "", what: str = "机构") -> OrgRef:
        """The one organization meant by a row, or ``ApplicationError`` saying why not."""
        if uscc:
            org = self.by_uscc.get(uscc)
            if org is None:
                raise ApplicationError(
                    f"{what}不存在或不在您的管辖范围内（统一社会信用代码 {uscc}）"
                )
            if name and name != org.name:
                raise ApplicationError(
                    f"{what}名称“{name}”与统一社会信用代码不一致（系统中为“{org.name}”）"
                )
            return org
        if not name:
            raise ApplicationError(f"请填写{what}名称或统一社会信用代码")
        found = self.by_name.get(name, [])
        if not found:
            raise ApplicationError(f"未找到名称为“{name}”的{what}（或不在您的管辖范围内）")
        if len(found) > 1:
            raise ApplicationError(
                f"名称为“{name}”的{what}有{len(found)}个，请填写统一社会信用代码"
            )
        return found[0]


def organization_index(*, user: User, usccs=(), names=(), ids=()) -> OrganizationIndex:
    """Look many organizations up at once (chunked ``IN`` queries, always scoped)."""
    index = OrganizationIndex(by_uscc={}, by_name={}, by_id={})
    base = scoped(Organization.objects.all(), user)
    for field, values in (("uscc", usccs), ("name", names), ("pk", ids)):
        wanted = sorted({v for v in values if v})
        for chunk in _chunks(wanted):
            for row in base.filter(**{f"{field}__in": chunk}).values_list(*_LOOKUP_FIELDS):
                if row[0] in index.by_id:
                    continue
                org = OrgRef(*row)
                index.by_id[org.pk] = org
                index.by_uscc[org.uscc] = org
                index.by_name.setdefault(org.name, []).append(org)
    return index


def is_top_organization(organization_id) -> bool:
    """Whether the organization is the top of the organization tree (the province bureau)."""
    return Organization.objects.filter(pk=organization_id, depth=1).exists()
