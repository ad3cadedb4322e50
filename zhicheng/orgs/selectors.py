from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, Q, QuerySet, TextField

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
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


def organization_get(*, user: User, pk) -> Organization:
    return get_scoped_or_404(Organization.objects.all(), user, pk)


class _Bigrams(Func):
    """``zhicheng_bigrams(text)``: the distinct two-character substrings (PostgreSQL only; the
    function and its GIN indexes come with migration orgs 0002)."""

    function = "zhicheng_bigrams"
    output_field = ArrayField(TextField())


def _contains(qs: QuerySet, field: str, term: str) -> tuple[QuerySet, Q]:
    """``field`` contains ``term``, in the shape the PostgreSQL indexes can answer.

    Always ``LIKE '%term%'`` (case-sensitive, as names and the stored initials are), which the
    pg_trgm GIN index answers for three or more characters. For exactly two characters a trigram
    index cannot help, so on PostgreSQL the bigram GIN index is offered as well: for two
    characters "its bigrams contain the term" is the same test. The LIKE comes first so that a
    plan that filters row by row evaluates the cheap LIKE and calls the bigram function only for
    the rows that already match.
    """
    match = Q(**{f"{field}__contains": term})
    if len(term) == 2 and connections[qs.db].vendor == "postgresql":
        alias = f"{field}_bigrams"
        qs = qs.alias(**{alias: _Bigrams(field)})
        match &= Q(**{f"{alias}__contains": [term]})
    return qs, match


def organization_typeahead(
    *, user: User, search: str, org_type: str = "", active_only: bool = True
) -> list[Organization]:
    """录入机构名称，回车查询，支持模糊查询: name substring, USCC prefix or pinyin initials.

    At most ``TYPEAHEAD_LIMIT`` organizations in tree (path) order. The SQL has no ORDER BY:
    ordering by path makes PostgreSQL walk the whole path index for a rare term (over 100 ms at
    200,000 organizations) where the search indexes answer in about a millisecond; the up to
    20 rows found are sorted here. When more than 20 match, which 20 is unspecified.
    """
    term = (search or "").strip()
    if not term:
        return []
    qs = scoped(Organization.objects.all(), user)
    qs, match = _contains(qs, "name", term)
    if term.isascii():
        qs, initials = _contains(qs, "name_initials", term.lower())
        match |= Q(uscc__startswith=term.upper()) | initials
    qs = qs.filter(match)
    if org_type:
        qs = qs.filter(org_type=org_type)
    if active_only:
        qs = qs.filter(status="active")
    found = list(
        qs.order_by().only(
            "id", "path", "depth", "name", "uscc", "org_type", "region_code", "status"
        )[:TYPEAHEAD_LIMIT]
    )
    found.sort(key=lambda org: org.path)
    _prefetch_parents(found)
    return found


def _prefetch_parents(organizations: list[Organization]) -> None:
    """Load the parents of ``organizations`` in one query into treebeard's own per-node parent
    cache (``_cached_parent_obj``, what ``get_parent()`` reads), so callers that show the
    parent (the API's ``parent_id``) do not run one query per row."""
    steplen = Organization.steplen
    wanted = {org.path[:-steplen] for org in organizations if org.depth > 1}
    if not wanted:
        return
    parents = Organization.objects.filter(path__in=wanted).only("id", "path", "depth", "name")
    by_path = {parent.path: parent for parent in parents}
    for org in organizations:
        parent = by_path.get(org.path[:-steplen])
        if parent is not None:
            org._cached_parent_obj = parent
