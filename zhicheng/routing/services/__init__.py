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

By sub-domain: ``offices`` (1.3 受理机构), ``routes`` (1.4–1.8 审核路径, ``EdgeChecker``),
``bulk`` (the Excel imports of both); ``_common`` holds the shared checks. Everything is
importable from ``zhicheng.routing.services`` as before.
"""

from ._common import OrgLike, check_org_in_scope, node_type_problem
from .bulk import (
    MAX_LISTED,
    EdgeDraft,
    OfficeDraft,
    acceptance_office_bulk_check,
    acceptance_office_bulk_create,
    check_office_level_method,
    route_edge_bulk_check,
    route_edge_bulk_create,
)
from .offices import (
    NOTICE_MAX_CHARS,
    acceptance_office_create,
    acceptance_office_deregister,
    acceptance_office_notice_update,
    acceptance_office_update,
    office_problem,
)
from .routes import (
    EdgeChecker,
    check_route_kind_level,
    lock_route,
    route_edge_create,
    route_edge_deregister,
    route_edge_update,
)

__all__ = [
    "MAX_LISTED",
    "NOTICE_MAX_CHARS",
    "EdgeChecker",
    "EdgeDraft",
    "OfficeDraft",
    "OrgLike",
    "acceptance_office_bulk_check",
    "acceptance_office_bulk_create",
    "acceptance_office_create",
    "acceptance_office_deregister",
    "acceptance_office_notice_update",
    "acceptance_office_update",
    "check_office_level_method",
    "check_org_in_scope",
    "check_route_kind_level",
    "lock_route",
    "node_type_problem",
    "office_problem",
    "route_edge_bulk_check",
    "route_edge_bulk_create",
    "route_edge_create",
    "route_edge_deregister",
    "route_edge_update",
]
