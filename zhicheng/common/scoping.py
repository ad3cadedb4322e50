"""The data scope: deny by default.

Every business queryset goes through :func:`scoped`. A model declares how it is scoped with
:func:`scope_rule` (the lookup to its organization's materialized path, and/or to the user who
owns it). An officer sees rows whose organization lies in their own organization's subtree (a
path-prefix match on the treebeard path); an applicant sees only rows they own; a committee
account sees only rows of its own committee; anyone else,
or a model without a rule, sees nothing.

A model with many rows reached through several organizations (an application and its route)
may instead keep a closure: ``org_closure`` is the lookup to the ids of every organization
whose officers see the row (the organizations themselves and all their ancestors, written when
the row gets its organizations). The officer's test is then one equality on an indexed column,
not a path prefix through a join: what keeps a list over a million applications fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ScopeRule:
    org_path: str | None = None  # e.g. "organization__path"; "path" for Organization itself
    owner: str | None = None  # e.g. "applicant__user"; "pk" for User itself
    committee: str | None = None  # lookup to a Committee, for committee accounts; "pk" for itself
    org_closure: str | None = None  # e.g. "route_nodes__organization": ids incl. ancestors


_RULES: dict[type[Model], ScopeRule] = {}


def scope_rule(
    *,
    org_path: str | None = None,
    owner: str | None = None,
    committee: str | None = None,
    org_closure: str | None = None,
):
    """Class decorator registering how a model is scoped."""

    def register(model: type[M]) -> type[M]:
        _RULES[model] = ScopeRule(
            org_path=org_path, owner=owner, committee=committee, org_closure=org_closure
        )
        return model

    return register


def _filter_lookup(queryset: QuerySet[M], lookup: str, value) -> QuerySet[M]:
    """``queryset.filter(**{lookup: value})``, except that a lookup through a to-many relation
    (e.g. an application's route nodes) becomes an EXISTS subquery, so a row that matches
    through several related rows is returned once."""
    model = queryset.model
    parts = lookup.split("__")
    for i, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if not field.is_relation:
            break
        if field.one_to_many and field.auto_created:  # a reverse foreign key
            outer = "__".join(parts[:i]) or "pk"
            inner = field.related_model._base_manager.filter(
                **{field.field.name: OuterRef(outer), "__".join(parts[i + 1 :]): value}
            )
            return queryset.filter(Exists(inner))
        model = field.related_model
    return queryset.filter(**{lookup: value})


def _is_active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _closure_applies(rule: ScopeRule, user: User) -> bool:
    """An officer of an organization, over a model scoped by ``org_closure``."""
    return bool(rule.org_closure and user.is_officer and user.organization_id)


def scoped_through_closure(queryset: QuerySet[M], user: User | None, **row_filters):
    """An officer's scope over a model scoped by ``org_closure``, as a join on the closure row of
    their organization (one per object, the pair being unique) instead of an EXISTS, with
    ``row_filters`` (lookups on that row) in the same ``filter()``, so they apply to that very
    row: a list can then read the rows of its organization in order from one index. None when
    the user or the model is not scoped this way (use :func:`scoped`)."""
    rule = _RULES.get(queryset.model)
    if rule is None or not _is_active(user) or not _closure_applies(rule, user):
        return None
    row = rule.org_closure.rsplit("__", 1)[0]
    lookups = {f"{row}__{lookup}": value for lookup, value in row_filters.items()}
    return queryset.filter(**{rule.org_closure: user.organization_id}, **lookups)


def scoped(queryset: QuerySet[M], user: User | None) -> QuerySet[M]:
    rule = _RULES.get(queryset.model)
    if rule is None or not _is_active(user):
        return queryset.none()
    if _closure_applies(rule, user):
        return _filter_lookup(queryset, rule.org_closure, user.organization_id)
    if user.is_officer and user.organization_id and rule.org_path:
        return _filter_lookup(queryset, f"{rule.org_path}__startswith", user.organization.path)
    if user.is_applicant and rule.owner:
        return queryset.filter(**{rule.owner: user.pk})
    if user.is_committee and rule.committee:
        # A committee account sees what belongs to its own committee (Committee.account).
        lookup = "account" if rule.committee == "pk" else f"{rule.committee}__account"
        return queryset.filter(**{lookup: user.pk})
    return queryset.none()


def get_or_404(scoped_queryset: QuerySet[M], pk) -> M:
    """The row ``pk`` of a queryset already scoped (or a ``values_list`` of one): missing and
    out-of-scope look the same, and a malformed id is just missing."""
    try:
        return scoped_queryset.get(pk=pk)
    except (scoped_queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或无权访问") from None


def id_or_404(value) -> int:
    """An id from a URL as an integer, or 404 (not a number, or beyond any id): for actions that
    hand the id to a service, which reads the row itself."""
    from zhicheng.common.query import id_or_none

    number = id_or_none(value)
    if number is None:
        raise Http404("记录不存在或无权访问")
    return number


def get_scoped_or_404(queryset: QuerySet[M], user: User | None, pk) -> M:
    """Missing and out-of-scope look the same, so ids cannot be probed."""
    return get_or_404(scoped(queryset, user), pk)
