"""The Excel imports of acceptance offices and route links (1.3–1.8): every rule of the single
services checked in bulk, all or nothing, written with one ``executemany``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm
from zhicheng.routing.models import OFFICE_METHODS, AcceptanceOffice, RecordStatus, RouteEdge

from ._common import OrgLike, _check_level, node_type_problem
from .routes import EdgeChecker, check_route_kind_level, lock_route

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
