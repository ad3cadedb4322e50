import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from zhicheng.accounts.roles import Role
from zhicheng.blacklist.models import (
    BlacklistEntry,
    BlacklistReason,
    BlacklistState,
    BlacklistStatus,
    add_years,
)
from zhicheng.blacklist.services import (
    blacklist_entry_create,
    blacklist_entry_lift,
    blacklist_entry_update,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.persons.models import Person
from zhicheng.persons.tests.factories import id_number, with_bad_check_char


def operations(entry) -> list[str]:
    return [
        e.additional_data.get("operation")
        for e in LogEntry.objects.filter(object_pk=str(entry.pk), additional_data__isnull=False)
        if e.additional_data and e.content_type.model == "blacklistentry"
    ]


# --- 新增 ---------------------------------------------------------------------------------


def test_entry_is_listed_by_the_officers_bureau_for_three_years_by_default(
    hr_province, nj_person, list_entry, today
):
    entry = list_entry(hr_province, nj_person, start_date=today)
    assert entry.organization == hr_province.organization
    assert entry.created_by == hr_province
    assert entry.end_date == add_years(today, 3)
    assert entry.status == BlacklistStatus.ACTIVE
    assert entry.state == BlacklistState.IN_FORCE
    assert "create" in operations(entry)


def test_three_years_from_29_february_ends_on_28_february():
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)


def test_explicit_end_date_is_kept(hr_province, nj_person, list_entry, today):
    end = today + dt.timedelta(days=100)
    assert list_entry(hr_province, nj_person, end_date=end).end_date == end


def test_a_new_person_with_a_valid_number_is_registered_on_the_fly(hr_province, today):
    number = id_number(seq="077")
    entry = blacklist_entry_create(
        actor=hr_province,
        id_number=number,
        name="赵磊",
        reason=BlacklistReason.PLAGIARISM,
        document_number="苏人社职〔2026〕2号",
        start_date=today,
    )
    person = Person.objects.get(id_number=number)
    assert entry.person == person and person.name == "赵磊" and person.organization is None


def test_an_invalid_number_for_a_new_person_creates_nothing(hr_province, today):
    with pytest.raises(ApplicationError, match="身份证号校验位错误"):
        blacklist_entry_create(
            actor=hr_province,
            id_number=with_bad_check_char(id_number()),
            name="赵磊",
            reason=BlacklistReason.OTHER,
            document_number="苏人社职〔2026〕3号",
            start_date=today,
        )
    assert not Person.objects.exists() and not BlacklistEntry.objects.exists()


def test_a_known_number_with_another_name_is_refused_naming_the_registered_one(
    hr_province, nj_person, today
):
    with pytest.raises(ApplicationError, match="登记姓名为“王强”"):
        blacklist_entry_create(
            actor=hr_province,
            id_number=nj_person.id_number,
            name="王刚",
            reason=BlacklistReason.OTHER,
            document_number="x",
            start_date=today,
        )
    assert not BlacklistEntry.objects.exists()


def test_end_before_start_is_refused(hr_province, nj_person, list_entry, today):
    with pytest.raises(ApplicationError, match="结束日期.*不能早于开始日期"):
        list_entry(hr_province, nj_person, start_date=today, end_date=today - dt.timedelta(1))
    assert not BlacklistEntry.objects.exists()


def test_document_number_is_required(hr_province, nj_person, list_entry):
    with pytest.raises(ApplicationError, match="请填写依据文号"):
        list_entry(hr_province, nj_person, document_number="  ")


def test_no_person_given_is_refused(hr_province, today):
    with pytest.raises(ApplicationError, match="请选择人员"):
        blacklist_entry_create(
            actor=hr_province,
            reason=BlacklistReason.OTHER,
            document_number="x",
            start_date=today,
        )


def test_overlapping_periods_for_one_person_are_refused_even_across_bureaus(
    hr_province, hr_city, nj_person, list_entry, today
):
    list_entry(hr_province, nj_person)
    with pytest.raises(ApplicationError, match="已列入黑名单.*江苏省人力资源和社会保障厅"):
        list_entry(hr_city, nj_person, start_date=today + dt.timedelta(days=30))
    assert BlacklistEntry.objects.count() == 1


def test_a_new_period_after_a_lifted_one_is_allowed(hr_city, nj_person, list_entry):
    first = list_entry(hr_city, nj_person)
    blacklist_entry_lift(actor=hr_city, entry=first, reason="复核撤销")
    second = list_entry(hr_city, nj_person, document_number="宁人社职〔2026〕9号")
    assert second.pk != first.pk


def test_officers_without_the_blacklist_permission_cannot_list_anyone(
    orgs, make_user, nj_person, list_entry
):
    employer = make_user(orgs["unit_d"], Role.EMPLOYER_OFFICER)
    with pytest.raises(PermissionDenied):
        list_entry(employer, nj_person)
    assert not BlacklistEntry.objects.exists()


# --- 修改 ---------------------------------------------------------------------------------


def test_update_changes_the_fields_and_records_what_changed(hr_city, nj_person, list_entry, today):
    entry = list_entry(hr_city, nj_person)
    new_end = today + dt.timedelta(days=500)
    updated = blacklist_entry_update(
        actor=hr_city,
        entry=entry,
        reason=BlacklistReason.IMPROPER_MEANS,
        end_date=new_end,
        notes="补充说明",
    )
    entry.refresh_from_db()
    assert (entry.reason, entry.end_date, entry.notes) == (
        BlacklistReason.IMPROPER_MEANS,
        new_end,
        "补充说明",
    )
    assert updated.document_number == "苏人社职〔2026〕1号"
    log = LogEntry.objects.filter(additional_data__operation="update").get()
    assert set(log.changes) == {"reason", "end_date", "notes"}


def test_update_to_end_before_start_changes_nothing(hr_city, nj_person, list_entry, today):
    entry = list_entry(hr_city, nj_person)
    before = entry.end_date
    with pytest.raises(ApplicationError, match="不能早于开始日期"):
        blacklist_entry_update(actor=hr_city, entry=entry, end_date=today - dt.timedelta(100))
    entry.refresh_from_db()
    assert entry.end_date == before


def test_city_cannot_change_an_entry_of_the_province(hr_province, hr_city, sz_person, list_entry):
    entry = list_entry(hr_province, sz_person)
    with pytest.raises(ApplicationError, match="不存在或不在管辖范围内"):
        blacklist_entry_update(actor=hr_city, entry=entry, notes="越权")
    with pytest.raises(ApplicationError, match="不存在或不在管辖范围内"):
        blacklist_entry_lift(actor=hr_city, entry=entry, reason="越权")
    entry.refresh_from_db()
    assert entry.notes == "" and entry.status == BlacklistStatus.ACTIVE


def test_province_can_change_an_entry_of_a_city_below_it(
    hr_province, hr_city, nj_person, list_entry
):
    entry = list_entry(hr_city, nj_person)
    assert blacklist_entry_update(actor=hr_province, entry=entry, notes="省厅复核").notes


def test_a_lifted_entry_cannot_be_changed(hr_city, nj_person, list_entry):
    entry = list_entry(hr_city, nj_person)
    blacklist_entry_lift(actor=hr_city, entry=entry, reason="复核撤销")
    with pytest.raises(ApplicationError, match="已解除，不能修改"):
        blacklist_entry_update(actor=hr_city, entry=entry, notes="x")


# --- 解除 ---------------------------------------------------------------------------------


def test_lift_keeps_the_entry_as_history_with_reason_actor_and_time(hr_city, nj_person, list_entry):
    entry = list_entry(hr_city, nj_person)
    blacklist_entry_lift(actor=hr_city, entry=entry, reason="  经复核撤销处理决定 ")
    entry.refresh_from_db()
    assert entry.status == BlacklistStatus.LIFTED
    assert entry.state == BlacklistState.LIFTED
    assert entry.lift_reason == "经复核撤销处理决定"
    assert entry.lifted_by == hr_city and entry.lifted_at is not None
    assert BlacklistEntry.objects.filter(pk=entry.pk).exists()
    assert "lift" in operations(entry)


@pytest.mark.parametrize("reason", ["", "   "])
def test_lift_needs_a_reason(hr_city, nj_person, list_entry, reason):
    entry = list_entry(hr_city, nj_person)
    with pytest.raises(ApplicationError, match="请填写解除原因"):
        blacklist_entry_lift(actor=hr_city, entry=entry, reason=reason)
    entry.refresh_from_db()
    assert entry.status == BlacklistStatus.ACTIVE


def test_lifting_twice_is_refused_and_keeps_the_first_lift(hr_city, nj_person, list_entry):
    entry = list_entry(hr_city, nj_person)
    blacklist_entry_lift(actor=hr_city, entry=entry, reason="第一次")
    with pytest.raises(ApplicationError, match="已解除，不能重复解除"):
        blacklist_entry_lift(actor=hr_city, entry=entry, reason="第二次")
    entry.refresh_from_db()
    assert entry.lift_reason == "第一次"


def test_an_expired_entry_needs_no_lifting(hr_city, nj_person, list_entry, today):
    entry = list_entry(
        hr_city,
        nj_person,
        start_date=today - dt.timedelta(days=1200),
        end_date=today - dt.timedelta(days=1),
    )
    assert entry.state == BlacklistState.EXPIRED
    with pytest.raises(ApplicationError, match="已到期"):
        blacklist_entry_lift(actor=hr_city, entry=entry, reason="x")


# --- expiry, computed -------------------------------------------------------------------


def test_entries_expire_by_themselves_after_the_end_date(hr_city, nj_person, list_entry, today):
    end = today + dt.timedelta(days=5)
    entry = list_entry(hr_city, nj_person, end_date=end)
    assert entry.state_on(end) == BlacklistState.IN_FORCE
    assert entry.state_on(end + dt.timedelta(days=1)) == BlacklistState.EXPIRED
    assert entry.state_on(entry.start_date - dt.timedelta(days=1)) == BlacklistState.PENDING
    entry.refresh_from_db()
    assert entry.status == BlacklistStatus.ACTIVE  # nothing stored changes
