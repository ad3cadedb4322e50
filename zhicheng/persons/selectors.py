"""Reads of persons, always through the data scope — with one documented exception.

**Exact-number lookup.** A person's employer may lie outside an HR officer's subtree (or be
unknown), yet the officer must be able to blacklist them. Holders of
``persons.lookup_person_by_id_number`` (人社经办) therefore find *any* person by the **full,
exact** 证件号码 — never by name, never by prefix, never by id — in :func:`person_typeahead`
and :func:`person_find_by_id_number`. Everything else is scoped.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.query import clean_text
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.search import contains_indexed
from zhicheng.persons.models import Person, normalize_id_number

TYPEAHEAD_LIMIT = 20


def _can_lookup_any(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("persons.lookup_person_by_id_number")
    )


def name_term(term: str | None) -> str:
    """A 姓名 search term as searched: NULs dropped, trimmed, at most 50 characters."""
    return clean_text(term, max_length=50)


def is_surname(term: str | None) -> bool:
    """One character is searched as a surname: names starting with it (``__startswith``)."""
    return len(name_term(term)) == 1


def filter_by_name(qs: QuerySet, term: str, *, field: str = "name") -> QuerySet:
    """姓名 search over a million people: one character is a surname (the name starts with it,
    an index range); two or more, a substring (the bigram / trigram indexes of persons 0002).
    One character anywhere in a name would match a large share of everybody and no index can
    answer it."""
    term = name_term(term)
    if not term:
        return qs
    if is_surname(term):
        return qs.filter(**{f"{field}__startswith": term})
    qs, match = contains_indexed(qs, field, term)
    return qs.filter(match)


def person_list(*, user: User, name: str = "", id_number: str = "") -> QuerySet[Person]:
    qs = filter_by_name(scoped(Person.objects.select_related("organization"), user), name)
    if id_number:
        qs = qs.filter(id_number__startswith=normalize_id_number(id_number))
    return qs.order_by("name", "pk")


def person_get(*, user: User, pk) -> Person:
    return get_scoped_or_404(Person.objects.select_related("organization", "user"), user, pk)


def person_for_user(user: User | None) -> Person | None:
    """The applicant's own person (None for anonymous users and users without one)."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.select_related("organization").filter(user=user).first()


def person_find_by_id_number(*, user: User, id_number: str, id_type: str = "") -> Person | None:
    """The person with exactly this document number: any person for holders of the lookup
    permission (the documented exception), otherwise only within the user's scope."""
    number = normalize_id_number(id_number)
    if not number:
        return None
    qs = Person.objects.select_related("organization")
    if not _can_lookup_any(user):
        qs = scoped(qs, user)
    qs = qs.filter(id_number=number)
    if id_type:
        qs = qs.filter(id_type=id_type)
    return qs.order_by("pk").first()


def person_typeahead(*, user: User, search: str) -> list[Person]:
    """录入人员姓名或身份证号，回车查询: name substring or 证件号码 prefix within the scope
    (≤ 20), plus — for holders of the lookup permission — the person whose full number is
    exactly ``search`` wherever they work."""
    term = normalize_id_number(search) if (search or "").strip().isascii() else search.strip()
    if not term:
        return []
    match = Q(name__contains=term)
    if term.isascii() and term.isalnum():
        match |= Q(id_number__startswith=term)
    results = list(
        scoped(Person.objects.select_related("organization"), user)
        .filter(match)
        .order_by("name", "pk")[:TYPEAHEAD_LIMIT]
    )
    if _can_lookup_any(user) and term.isascii() and term.isalnum():
        exact = [
            p
            for p in Person.objects.select_related("organization").filter(id_number=term)
            if p not in results
        ]
        results = (exact + results)[:TYPEAHEAD_LIMIT]
    return results
