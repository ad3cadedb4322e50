"""The benchmarks write their province-scale data with COPY (``bench/applications_data.py``),
below the models: a NOT NULL column added to a model and left out of the benchmark's column
lists makes ``make bench`` fail hours later, at a million rows. This catches it at once."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED, AutoField, BigAutoField

from bench.applications_data import COPIED_TABLES


def _required_columns(model) -> set[str]:
    """The columns a COPY must fill: NOT NULL, no database default, not generated."""
    return {
        field.column
        for field in model._meta.concrete_fields
        if not field.null
        and field.db_default is NOT_PROVIDED
        and not isinstance(field, AutoField | BigAutoField)
    }


@pytest.mark.parametrize("label", sorted(COPIED_TABLES))
def test_the_benchmark_copies_every_not_null_column(label):
    model = apps.get_model(label)
    missing = _required_columns(model) - set(COPIED_TABLES[label])
    assert not missing, f"bench/applications_data.py leaves out {sorted(missing)} of {label}"


@pytest.mark.parametrize("label", sorted(COPIED_TABLES))
def test_the_benchmark_copies_only_columns_that_exist(label):
    model = apps.get_model(label)
    existing = {field.column for field in model._meta.concrete_fields}
    assert set(COPIED_TABLES[label]) <= existing
