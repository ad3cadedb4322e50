import datetime as dt

from zhicheng.blacklist.services import blacklist_entry_lift, person_blacklist_block
from zhicheng.persons.models import Person


def test_a_listed_person_is_blocked_while_the_entry_is_in_force(
    hr_city, nj_person, list_entry, today
):
    entry = list_entry(hr_city, nj_person, start_date=today, end_date=today + dt.timedelta(9))
    assert person_blacklist_block(nj_person) == entry
    assert person_blacklist_block(nj_person, on=today + dt.timedelta(9)) == entry
    assert person_blacklist_block(nj_person, on=today + dt.timedelta(10)) is None
    assert person_blacklist_block(nj_person, on=today - dt.timedelta(1)) is None


def test_a_lifted_entry_no_longer_blocks(hr_city, nj_person, list_entry):
    entry = list_entry(hr_city, nj_person)
    blacklist_entry_lift(actor=hr_city, entry=entry, reason="复核撤销")
    assert person_blacklist_block(nj_person) is None


def test_the_block_is_a_rule_for_everyone_not_a_scoped_read(hr_province, sz_person, list_entry):
    # Listed by the province; the blocked person's own employer is in Suzhou.
    entry = list_entry(hr_province, sz_person)
    assert person_blacklist_block(sz_person) == entry


def test_an_unlisted_or_unsaved_person_is_not_blocked(orgs, nj_person):
    assert person_blacklist_block(nj_person) is None
    assert person_blacklist_block(Person(name="未保存")) is None
