"""What django-auditlog records of a model: its own columns, never its reverse relations.

On every create auditlog diffs each field ``_meta.get_fields()`` lists, reverse relations
included: a reverse one-to-one is read with a query (a batch of 2,000 取得职称 made 2,000
queries for their certificates) and a reverse foreign key is logged as its manager's name, a
"change" that says nothing. The reverse side's own rows are logged where they are written.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db.models import Model


def reverse_relation_names(model: type[Model]) -> list[str]:
    """The names auditlog would diff that are another model's relation to this one."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.auto_created and not field.concrete and (field.one_to_one or field.one_to_many)
    ]


def exclude_reverse_relations() -> None:
    """Add every registered model's reverse relations to its ``exclude_fields`` (once all
    models are loaded: ``AuditConfig.ready``). auditlog keeps the registration options in its
    registry and reads ``exclude_fields`` there at each save; there is no public setter, and
    re-registering through ``register`` would lose the options it does not give back
    (``m2m_fields``). ``test_registry.py`` fails if that storage changes."""
    for model in auditlog.get_models():
        excluded = auditlog._registry[model]["exclude_fields"]
        excluded.extend(name for name in reverse_relation_names(model) if name not in excluded)
