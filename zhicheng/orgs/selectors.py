from django.db import connections
from django.db.models import Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.search import contains_indexed
from zhicheng.orgs.models import Organization

TYPEAHEAD_LIMIT = 20


def organization_list(
    *,
    user: User,
    name: str = "",
    uscc: str = "",
    org_type: str = "",
    region_code: str = "",
    status: str = "",
) -> QuerySet[Organization]:
    qs = scoped(Organization.objects.all(), user)
    if name:
        qs = qs.filter(name__contains=name.strip())
    if uscc:
        qs = qs.filter(uscc__startswith=uscc.strip().upper())
    if org_type:
        qs = qs.filter(org_type=org_type)
    if region_code:
        qs = qs.filter(region_code__startswith=region_code.strip())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("path")


def organization_parent_ids(orgs: list[Organization]) -> dict[int, int]:
    """{organization id: parent id} for the given nodes, in one query (parents by path)."""
    steplen = Organization.steplen
    parent_paths = {o.pk: o.path[:-steplen] for o in orgs if o.depth > 1}
    if not parent_paths:
        return {}
    by_path = dict(
        Organization.objects.filter(path__in=set(parent_paths.values())).values_list("path", "pk")
    )
    return {pk: by_path[path] for pk, path in parent_paths.items() if path in by_path}


def organization_ancestor_ids(org_ids) -> set[int]:
    """The ids of every ancestor of the given organizations (themselves included), in two
    queries: the nodes' paths, then the nodes at every prefix of them."""
    steplen = Organization.steplen
    paths = Organization.objects.filter(pk__in=list(org_ids)).values_list("path", flat=True)
    prefixes = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    if not prefixes:
        return set()
    return set(Organization.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def organization_get(*, user: User, pk) -> Organization:
    return get_scoped_or_404(Organization.objects.all(), user, pk)


# For the typeahead statement only: bitmap index scans, no parallel workers, no JIT.
INDEX_SEARCH_SETTINGS = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
}


def _fetch_as_index_search(qs: QuerySet[Organization]) -> list[Organization]:
    """Evaluate ``qs`` with PostgreSQL told that it is an index search.

    Left alone, the planner bets on finding 20 matches early in a sequential scan; when the
    matches cluster elsewhere (a city officer typing the initials of another city's units) it
    reads the whole table, 50–100 ms at 200,000 organizations, where the search indexes answer
    in a few milliseconds whatever the term. Parallel workers and JIT only add start-up time to
    a 20-row answer. So the settings above are applied with ``SET LOCAL`` and reset in the same
    round trip as the query (one multi-statement string; ``RESET`` keeps an enclosing
    transaction unaffected). Elsewhere — SQLite, or server-side parameter binding, which
    refuses several statements in one string — ``qs`` is simply evaluated.
    """
    connection = connections[qs.db]
    server_binding = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor != "postgresql" or server_binding:
        return list(qs)
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.as_sql()
    fields = [column.target.attname for column, _, _ in compiler.select]
    settings = "; ".join(
        f"SET LOCAL {name} = {value}" for name, value in INDEX_SEARCH_SETTINGS.items()
    )
    resets = "; ".join(f"RESET {name}" for name in INDEX_SEARCH_SETTINGS)
    with connection.cursor() as cursor:
        cursor.execute(f"{settings}; {sql}; {resets}", params)
        results = cursor.cursor  # the driver's cursor: one result per statement
        for _ in INDEX_SEARCH_SETTINGS:
            results.nextset()
        rows = results.fetchall()
    return [Organization.from_db(qs.db, fields, row) for row in rows]


def organization_typeahead(
    *, user: User, search: str, org_type: str = "", active_only: bool = True
) -> list[Organization]:
    """录入机构名称，回车查询，支持模糊查询: name substring, USCC prefix or pinyin initials.

    At most ``TYPEAHEAD_LIMIT`` organizations in tree (path) order. The SQL has no ORDER BY:
    ordering by path makes PostgreSQL walk the whole path index for a rare term (over 100 ms at
    200,000 organizations) where the search indexes answer in about a millisecond; the up to
    20 rows found are sorted here. When more than 20 match, which 20 is unspecified.
    """
    qs = organization_typeahead_query(
        user=user, search=search, org_type=org_type, active_only=active_only
    )
    if qs is None:
        return []
    found = _fetch_as_index_search(qs)
    found.sort(key=lambda org: org.path)
    return found


def organization_typeahead_query(
    *, user: User, search: str, org_type: str = "", active_only: bool = True
) -> QuerySet[Organization] | None:
    """The typeahead's query (None for a blank term); ``organization_typeahead`` runs it."""
    term = (search or "").strip()
    if not term:
        return None
    qs = scoped(Organization.objects.all(), user)
    qs, match = contains_indexed(qs, "name", term)
    if term.isascii():
        qs, initials = contains_indexed(qs, "name_initials", term.lower())
        match |= Q(uscc__startswith=term.upper()) | initials
    qs = qs.filter(match)
    if org_type:
        qs = qs.filter(org_type=org_type)
    if active_only:
        qs = qs.filter(status="active")
    return qs.order_by().only(
        "id", "path", "depth", "name", "uscc", "org_type", "region_code", "status"
    )[:TYPEAHEAD_LIMIT]
