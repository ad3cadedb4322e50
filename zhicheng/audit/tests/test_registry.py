"""The operation log records a model's own columns: no reverse relation is diffed (each was a
query on every create, or a manager's name logged as a change)."""

from __future__ import annotations

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.audit.registry import reverse_relation_names
from zhicheng.orgs.models import Organization
from zhicheng.persons.models import Person


def test_every_registered_model_excludes_its_reverse_relations():
    models = auditlog.get_models()
    assert Person in models and Organization in models
    for model in models:
        excluded = set(auditlog.get_model_fields(model)["exclude_fields"])
        missing = set(reverse_relation_names(model)) - excluded
        assert not missing, f"{model.__name__} still diffs {sorted(missing)}"


def test_the_reverse_relations_are_the_ones_other_models_declare():
    names = set(reverse_relation_names(Person))
    assert {"applications", "blacklist_entries"} <= names
    assert not names & {field.name for field in Person._meta.concrete_fields}


def test_a_created_row_is_diffed_without_a_query_and_with_its_own_columns(orgs):
    person = Person.objects.create(id_number="320102199001011237", name="王审计")
    with CaptureQueriesContext(connection) as queries:
        changes = model_instance_diff(None, person)
    assert len(queries) == 0
    assert set(changes) <= {field.name for field in Person._meta.concrete_fields}
    assert {"name", "id_number"} <= set(changes)
    logged = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert not set(logged.changes_dict) & set(reverse_relation_names(Person))


def test_an_organization_with_children_is_diffed_without_a_query(orgs):
    city = Organization.objects.get(pk=orgs["city_nj"].pk)
    with CaptureQueriesContext(connection) as queries:
        model_instance_diff(None, city)
    assert len(queries) == 0
