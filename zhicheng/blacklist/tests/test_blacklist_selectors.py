import datetime as dt

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.blacklist import selectors
from zhicheng.blacklist.models import BlacklistReason, BlacklistState
from zhicheng.blacklist.services import blacklist_entry_lift
from zhicheng.persons.tests.factories import id_number, make_person


@pytest.fixture
def entries(orgs, make_user, hr_province, hr_city, nj_person, sz_person, list_entry, today):
    county = make_user(orgs["county_jn"], Role.HR_OFFICER)
    other = make_person("陈静", organization=orgs["unit_i"], number=id_number(seq="026"))
    expired_person = make_person("李娜", organization=orgs["unit_b"], number=id_number(seq="042"))
    pending_person = make_person("孙丽", organization=orgs["unit_a"], number=id_number(seq="064"))
    lifted = list_entry(hr_province, other, reason=BlacklistReason.PLAGIARISM)
    blacklist_entry_lift(actor=hr_province, entry=lifted, reason="复核撤销")
    return {
        "province": list_entry(hr_province, sz_person),
        "lifted": lifted,
        "city": list_entry(
            hr_city,
            nj_person,
            reason=BlacklistReason.IMPROPER_MEANS,
            start_date=today - dt.timedelta(days=100),
        ),
        "county_expired": list_entry(
            county,
            expired_person,
            start_date=today - dt.timedelta(days=1200),
            end_date=today - dt.timedelta(days=1),
        ),
        "county_pending": list_entry(
            county, pending_person, start_date=today + dt.timedelta(days=3)
        ),
    }


def keys(entries, qs) -> set[str]:
    by_pk = {e.pk: k for k, e in entries.items()}
    return {by_pk[e.pk] for e in qs}


def test_a_city_bureau_sees_only_its_own_and_its_counties_entries(entries, hr_city):
    visible = keys(entries, selectors.blacklist_entry_list(user=hr_city))
    assert visible == {"city", "county_expired", "county_pending"}


def test_the_province_sees_every_entry(entries, hr_province):
    assert keys(entries, selectors.blacklist_entry_list(user=hr_province)) == set(entries)


def test_an_applicant_and_an_employer_officer_see_none(entries, applicant, orgs, make_user):
    assert not selectors.blacklist_entry_list(user=applicant).exists()
    employer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    assert not selectors.blacklist_entry_list(user=employer).exists()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (BlacklistState.IN_FORCE, {"province", "city"}),
        (BlacklistState.EXPIRED, {"county_expired"}),
        (BlacklistState.LIFTED, {"lifted"}),
        (BlacklistState.PENDING, {"county_pending"}),
    ],
)
def test_filter_by_state(entries, hr_province, state, expected):
    qs = selectors.blacklist_entry_list(user=hr_province, state=state)
    assert keys(entries, qs) == expected
    assert {e.state for e in qs} == {state}


def test_filter_by_name_number_reason_and_start_dates(entries, hr_province, today):
    def found(**filters):
        return keys(entries, selectors.blacklist_entry_list(user=hr_province, **filters))

    assert found(name="王") == {"city"}
    assert found(id_number=entries["province"].person.id_number) == {"province"}
    assert found(id_number=entries["province"].person.id_number.lower()[:14]) >= {"province"}
    assert found(reason=BlacklistReason.PLAGIARISM) == {"lifted"}
    assert found(start_from=today - dt.timedelta(days=150), start_to=today - dt.timedelta(50)) == {
        "city"
    }
    assert found(start_from=today + dt.timedelta(days=1)) == {"county_pending"}


def test_list_page_query_count_does_not_grow_with_rows(
    entries, hr_province, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        rows = list(selectors.blacklist_entry_list(user=hr_province))
        seen = [(r.person.name, r.organization.name, str(r.created_by), r.lifted_by) for r in rows]
    assert len(seen) == len(entries)
