"""Reads of the catalogue.

Specialties, title series and titles are reference data that every signed-in user reads (an
applicant picks a title and a specialty, a committee lists its specialties), so *reading* is
open to any active, authenticated account and closed to everyone else. *Managing* is scoped:
``*_manageable`` goes through ``scoped`` (rows whose ``owner_organization`` lies in the user's
subtree) plus, for a province-level (top-level organization) officer, the standard rows that
ship with the system (``owner_organization`` is ``None``).
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.catalog.models import LEVEL_ORDER, Specialty, Title, TitleLevel, TitleSeries
from zhicheng.common.scoping import scoped

SEARCH_LIMIT = 50


def can_read_catalog(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _readable(qs: QuerySet, user: User | None) -> QuerySet:
    return qs if can_read_catalog(user) else qs.none()


def manages_standard_data(user: User | None) -> bool:
    """The province bureau (an officer of a top-level organization) maintains standard rows."""
    return bool(
        can_read_catalog(user)
        and user.is_officer
        and user.organization_id
        and user.organization.depth == 1
    )


def _manageable(qs: QuerySet, user: User | None) -> QuerySet:
    if not can_read_catalog(user):
        return qs.none()
    own = scoped(qs, user)
    if manages_standard_data(user):
        return qs.filter(Q(pk__in=own.values("pk")) | Q(owner_organization__isnull=True))
    return own


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None


# --- Specialties ----------------------------------------------------------------------------


def specialty_children(*, user: User, parent: Specialty | None = None) -> QuerySet[Specialty]:
    """One level of the tree (lazy expand): the 栏目大类 without ``parent``, else its children."""
    qs = _readable(Specialty.objects.all(), user)
    if parent is None:
        qs = qs.filter(depth=1)
    else:
        qs = qs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    return qs.order_by("code")


def specialty_list(*, user: User, code: str = "", name: str = "") -> QuerySet[Specialty]:
    """Flat list in tree order (export, API without ``parent``/``search``)."""
    qs = _readable(Specialty.objects.all(), user)
    if code.strip():
        qs = qs.filter(code__istartswith=code.strip())
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    return qs.order_by("path")


def specialty_get(*, user: User, pk) -> Specialty:
    return _get(_readable(Specialty.objects.all(), user), pk)


def specialty_search(*, user: User, term: str, limit: int = SEARCH_LIMIT) -> list[Specialty]:
    """Nodes whose code starts with, or whose name contains, ``term`` — each with ``ancestors``
    (the path from its 栏目大类 down to its parent), loaded in one extra query."""
    term = (term or "").strip()
    if not term:
        return []
    qs = _readable(Specialty.objects.all(), user)
    matches = list(
        qs.filter(Q(code__istartswith=term) | Q(name__contains=term)).order_by("path")[:limit]
    )
    attach_ancestors(matches)
    return matches


def attach_ancestors(nodes: list[Specialty]) -> None:
    """Set ``node.ancestors`` (root first) on each node with a single query."""
    step = Specialty.steplen
    paths = {n.path[: step * d] for n in nodes for d in range(1, n.depth)}
    by_path = (
        {
            s.path: s
            for s in Specialty.objects.filter(path__in=paths).only(
                "id", "code", "name", "path", "depth"
            )
        }
        if paths
        else {}
    )
    for node in nodes:
        node.ancestors = [
            by_path[node.path[: step * d]]
            for d in range(1, node.depth)
            if node.path[: step * d] in by_path
        ]


def specialty_parent(node: Specialty) -> Specialty | None:
    if node.depth <= 1:
        return None
    return Specialty.objects.filter(path=node.path[: -Specialty.steplen]).first()


def specialty_parent_ids(nodes: list[Specialty]) -> dict[int, int]:
    """{specialty id: parent id} for the given nodes, in one query (parents by path)."""
    steplen = Specialty.steplen
    parent_paths = {n.pk: n.path[:-steplen] for n in nodes if n.depth > 1}
    if not parent_paths:
        return {}
    by_path = dict(
        Specialty.objects.filter(path__in=set(parent_paths.values())).values_list("path", "pk")
    )
    return {pk: by_path[path] for pk, path in parent_paths.items() if path in by_path}


def specialty_manageable(*, user: User) -> QuerySet[Specialty]:
    return _manageable(Specialty.objects.all(), user)


def specialty_can_manage(*, user: User, specialty: Specialty) -> bool:
    return specialty_manageable(user=user).filter(pk=specialty.pk).exists()


# --- Title series and titles ----------------------------------------------------------------

LEVEL_RANK = Case(
    *[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)],
    default=Value(len(LEVEL_ORDER)),
    output_field=IntegerField(),
)


def title_series_list(*, user: User, parent: TitleSeries | None = None, top_only: bool = False):
    qs = _readable(TitleSeries.objects.select_related("parent"), user)
    if parent is not None:
        qs = qs.filter(parent=parent)
    elif top_only:
        qs = qs.filter(parent__isnull=True)
    return qs.order_by("sort_order", "id")


def title_series_get(*, user: User, pk) -> TitleSeries:
    return _get(_readable(TitleSeries.objects.select_related("parent"), user), pk)


def title_series_has_children(series: TitleSeries) -> bool:
    return TitleSeries.objects.filter(parent=series).exists()


def title_list(
    *, user: User, series: TitleSeries | None = None, level: str = "", name: str = ""
) -> QuerySet[Title]:
    qs = _readable(Title.objects.select_related("series", "series__parent"), user)
    if series is not None:
        qs = qs.filter(Q(series=series) | Q(series__parent=series))
    if level:
        qs = qs.filter(level=level)
    if name.strip():
        qs = qs.filter(name__contains=name.strip())
    return qs.annotate(level_rank=LEVEL_RANK).order_by(
        "series__sort_order", "series_id", "level_rank", "id"
    )


def title_choice_groups(*, user: User) -> list[tuple[str, list[tuple[int, str]]]]:
    """申报职称 choices of a filter form, grouped by series in ``title_list``'s order: plain
    tuples (a list page builds them on every view; 128 model instances cost more than the
    page's own rows)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    labels = dict(TitleLevel.choices)
    rows = title_list(user=user).values_list(
        "pk", "name", "level", "series__name", "series__parent__name"
    )
    for pk, name, level, series, parent in rows:
        group = f"{parent}·{series}" if parent else series  # as TitleSeries.__str__
        groups.setdefault(group, []).append((pk, f"{name}（{labels.get(level, level)}）"))
    return list(groups.items())


def title_list_in_series(*, user: User, series_id: int | None) -> QuerySet[Title]:
    """The titles of exactly one series (not of its sub-series), in creation order: the options
    of the applicant's 申报职称 select. None for no series or an unknown one."""
    if series_id is None:
        return Title.objects.none()
    return _readable(Title.objects.filter(series_id=series_id), user).order_by("pk")


def title_get(*, user: User, pk) -> Title:
    return _get(_readable(Title.objects.select_related("series", "series__parent"), user), pk)


def title_manageable(*, user: User) -> QuerySet[Title]:
    return _manageable(Title.objects.all(), user)


def title_can_manage(*, user: User, title: Title) -> bool:
    return title_manageable(user=user).filter(pk=title.pk).exists()


def title_tree(*, user: User) -> list[TitleSeries]:
    """The whole 职称树 (about 25 series, 150 titles) in three queries: top-level series with
    ``sub_series`` and each series' ``title_items`` (ordered by level)."""
    series = list(title_series_list(user=user))
    titles = list(title_list(user=user))
    by_series: dict[int, list[Title]] = {}
    for title in titles:
        by_series.setdefault(title.series_id, []).append(title)
    children: dict[int, list[TitleSeries]] = {}
    for s in series:
        s.title_items = by_series.get(s.pk, [])
        if s.parent_id:
            children.setdefault(s.parent_id, []).append(s)
    for s in series:
        s.sub_series = children.get(s.pk, [])
    return [s for s in series if s.parent_id is None]
