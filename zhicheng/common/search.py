"""Substring search in the shape PostgreSQL's search indexes answer (pg_trgm GIN for three or
more characters, the ``zhicheng_bigrams`` GIN for two; created by the migrations of the tables
searched: orgs 0002, persons 0002). SQLite simply scans."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex


class Bigrams(Func):
    """``zhicheng_bigrams(text)``: the distinct two-character substrings (PostgreSQL only; the
    function comes with migration orgs 0002)."""

    function = "zhicheng_bigrams"
    output_field = ArrayField(TextField())


def contains_indexed(qs: QuerySet, field: str, term: str) -> tuple[QuerySet, Q]:
    """``field`` contains ``term``, in the shape the PostgreSQL indexes can answer.

    ``LIKE '%term%'`` (case-sensitive, as names and the stored initials are), which the pg_trgm
    GIN index answers for three or more characters. A trigram index cannot answer two characters
    (and PostgreSQL would read all of it trying), so on PostgreSQL a two-character term asks the
    bigram GIN index instead — for two characters "its bigrams contain the term" is the same
    test — preceded by a cheap ``strpos`` that no index claims, so a plan that filters row by
    row calls the bigram function only for rows that already match.
    """
    if len(term) == 2 and connections[qs.db].vendor == "postgresql":
        stem = field.replace("__", "_")  # an alias may not contain the lookup separator
        position, bigrams = f"{stem}_position", f"{stem}_bigrams"
        qs = qs.alias(**{position: StrIndex(field, Value(term)), bigrams: Bigrams(field)})
        return qs, Q(**{f"{position}__gt": 0}) & Q(**{f"{bigrams}__contains": [term]})
    return qs, Q(**{f"{field}__contains": term})
