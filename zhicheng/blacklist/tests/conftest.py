import datetime as dt

import pytest
from django.utils import timezone

from zhicheng.blacklist.models import BlacklistReason
from zhicheng.blacklist.services import blacklist_entry_create
from zhicheng.persons.tests.factories import id_number, make_person


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def nj_person(orgs):
    return make_person("王强", organization=orgs["unit_d"], number=id_number(seq="013"))


@pytest.fixture
def sz_person(orgs):
    return make_person("刘洋", organization=orgs["unit_f"], number=id_number(seq="055"))


@pytest.fixture
def list_entry(today):
    """Create an entry through the service: list_entry(actor, person, **overrides)."""

    def make(actor, person, **overrides):
        fields = {
            "reason": BlacklistReason.FALSE_MATERIALS,
            "document_number": "苏人社职〔2026〕1号",
            "start_date": today - dt.timedelta(days=10),
            **overrides,
        }
        return blacklist_entry_create(actor=actor, person=person, **fields)

    return make
