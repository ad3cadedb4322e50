"""Demo data of the catalogue: the standard specialties and title tree.

They ship with the system in the data migration ``0002_standard_catalog``; loading the demo
re-applies the same seed, which only adds standard rows that are missing (idempotent)."""

from django.apps import apps

from zhicheng.catalog.standard import seed


def load(orgs) -> None:
    seed(apps)
