"""Is a configuration row in use? One function every "delete" asks before deleting.

``usages(obj)`` looks at every reverse relation of the object's model (foreign keys and
many-to-many fields of any app that point at it — committees' 评审专业, applications' 申报职称
and 申报专业, 取得职称 …), hidden ones (``related_name="+"``) included, so a new app is
covered as soon as its model points here. Checks that a relation cannot express (e.g. a code
stored as text) are added with ``register_usage_check``.
"""

from collections.abc import Callable

from django.db import models

UsageCheck = Callable[[models.Model], list[str]]
_EXTRA_CHECKS: dict[type[models.Model], list[UsageCheck]] = {}


def register_usage_check(model: type[models.Model], check: UsageCheck) -> UsageCheck:
    """Add a check returning human-readable usages (e.g. ``["职称申报 3 条"]``) for ``model``."""
    _EXTRA_CHECKS.setdefault(model, []).append(check)
    return check


def reverse_relations(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every relation pointing at ``model``, including hidden ones (``related_name="+"``),
    which ``_meta.related_objects`` leaves out."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ForeignObjectRel)
        # an auto-created many-to-many table is counted through its many-to-many field
        and not field.related_model._meta.auto_created
    ]


def usages(obj: models.Model, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """Where ``obj`` is referenced, as ``["评审专业 2 条", …]``; empty when it may be deleted.

    ``ignore`` names reverse accessors that are not "use" (e.g. a tree's own children, which the
    caller checks with a clearer message).
    """
    found: list[str] = []
    for rel in reverse_relations(type(obj)):
        if rel.get_accessor_name() in ignore:
            continue
        if rel.many_to_many and not rel.through._meta.auto_created:
            continue  # the explicit through model's own foreign key is its own relation here
        related = rel.related_model
        count = related._base_manager.filter(**{rel.field.name: obj}).count()
        if count:
            found.append(f"{related._meta.verbose_name} {count} 条")
    for check in _EXTRA_CHECKS.get(type(obj), []):
        found.extend(check(obj))
    return found
