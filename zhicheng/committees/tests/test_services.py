import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import authenticate
from django.test import RequestFactory

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.committees import services
from zhicheng.committees.models import (
    Committee,
    CommitteeLevel,
    CommitteeStatus,
    FeeItem,
    FeeStandard,
    validity_limit,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import OrgStatus

pytestmark = pytest.mark.django_db


def can_log_in(username: str, password: str):
    request = RequestFactory().post("/login/")
    return authenticate(request=request, username=username, password=password)


def create_kwargs(series, today, /, **overrides):
    kwargs = {
        "name": "江苏省建筑工程高级职称评审委员会",
        "level": CommitteeLevel.SENIOR,
        "series": series,
        "account_username": "pwh_jz",
        "approval_number": "苏人社职〔2026〕8号",
        "valid_from": today,
        "valid_until": today + dt.timedelta(days=700),
    }
    kwargs.update(overrides)
    return kwargs


# --- 新增 -----------------------------------------------------------------------------------


def test_creating_a_committee_creates_its_login_with_the_committee_role(
    hr_province, series_eng, today
):
    committee, password = services.committee_create(
        actor=hr_province, **create_kwargs(series_eng, today)
    )
    account = committee.account
    assert account.username == "pwh_jz"
    assert account.role_codes == {Role.COMMITTEE}
    assert account.must_change_password is True
    assert account.organization == hr_province.organization
    assert committee.organization == hr_province.organization
    assert committee.status == CommitteeStatus.ACTIVE
    assert committee.created_by == hr_province


def test_the_initial_password_is_strong_random_and_logs_the_committee_in(
    hr_province, series_eng, today
):
    committee, password = services.committee_create(
        actor=hr_province, **create_kwargs(series_eng, today)
    )
    assert len(password) >= 12
    assert any(c.isdigit() for c in password) and any(c.isalpha() for c in password)
    assert can_log_in("pwh_jz", password) == committee.account
    _, other = services.committee_create(
        actor=hr_province,
        **create_kwargs(series_eng, today, name="另一个评委会", account_username="pwh_other"),
    )
    assert other != password


@pytest.mark.parametrize("taken", ["t_hr_city", "T_HR_CITY", " t_hr_city "])
def test_the_account_must_differ_from_every_user_name(
    hr_province, hr_city, series_eng, today, taken
):
    users_before = User.objects.count()
    with pytest.raises(ApplicationError, match="评委会账号.*已被使用"):
        services.committee_create(
            actor=hr_province, **create_kwargs(series_eng, today, account_username=taken)
        )
    assert Committee.objects.count() == 0
    assert User.objects.count() == users_before


def test_the_account_of_another_committee_cannot_be_reused(
    hr_province, make_committee, series_eng, today
):
    make_committee(hr_province, account_username="pwh_jz")
    with pytest.raises(ApplicationError, match="已被使用"):
        services.committee_create(actor=hr_province, **create_kwargs(series_eng, today))
    assert Committee.objects.count() == 1


def test_an_invalid_account_name_is_refused_in_chinese(hr_province, series_eng, today):
    with pytest.raises(ApplicationError, match="评委会账号无效"):
        services.committee_create(
            actor=hr_province, **create_kwargs(series_eng, today, account_username="a b/c")
        )
    assert not User.objects.filter(username="a b/c").exists()


def test_an_account_name_that_is_an_id_number_is_refused(hr_province, series_eng, today):
    """A person whose 身份证号 became a committee's login could never register as applicant."""
    number = "11010519491231002X"
    with pytest.raises(ApplicationError, match="评委会账号不能是身份证号"):
        services.committee_create(
            actor=hr_province, **create_kwargs(series_eng, today, account_username=number)
        )
    draft = services.CommitteeDraft(
        name="导入的评委会",
        level=CommitteeLevel.SENIOR,
        series_id=series_eng.pk,
        account=number.lower(),
        approval_number="苏人社职〔2026〕9号",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
    )
    errors = services.committee_bulk_check(actor=hr_province, drafts=[draft])
    assert any("评委会账号不能是身份证号" in m for m in errors[0])
    assert not User.objects.filter(username__iexact=number).exists()


def test_validity_of_exactly_three_years_is_accepted(hr_province, series_eng):
    start = dt.date(2026, 1, 1)
    committee, _ = services.committee_create(
        actor=hr_province,
        **create_kwargs(series_eng, start, valid_from=start, valid_until=dt.date(2028, 12, 31)),
    )
    assert committee.valid_until == validity_limit(start)


def test_validity_longer_than_three_years_is_refused_and_nothing_is_created(
    hr_province, series_eng
):
    start = dt.date(2026, 1, 1)
    users_before = User.objects.count()
    with pytest.raises(ApplicationError, match="有效期最长3年.*2028-12-31"):
        services.committee_create(
            actor=hr_province,
            **create_kwargs(series_eng, start, valid_from=start, valid_until=dt.date(2029, 1, 1)),
        )
    assert Committee.objects.count() == 0
    assert User.objects.count() == users_before


def test_validity_limit_of_a_leap_day_start():
    assert validity_limit(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)


def test_validity_ending_before_it_starts_is_refused(hr_province, series_eng, today):
    with pytest.raises(ApplicationError, match="有效期止不能早于有效期起"):
        services.committee_create(
            actor=hr_province,
            **create_kwargs(series_eng, today, valid_until=today - dt.timedelta(days=1)),
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "请填写评委会名称"),
        ("approval_number", "", "请填写核准备案文号"),
        ("account_username", "", "请填写评委会账号"),
        ("level", "expert", "评委会级别.*无效"),
        ("series", None, "请选择职称系列"),
        ("valid_from", None, "请填写有效期"),
    ],
)
def test_missing_or_bad_fields_are_refused(hr_province, series_eng, today, field, value, message):
    with pytest.raises(ApplicationError, match=message):
        services.committee_create(
            actor=hr_province, **create_kwargs(series_eng, today, **{field: value})
        )
    assert Committee.objects.count() == 0


def test_a_second_active_committee_with_the_same_name_is_refused(
    hr_province, make_committee, series_eng, today
):
    make_committee(hr_province, name="江苏省建筑工程高级职称评审委员会")
    with pytest.raises(ApplicationError, match="已存在名称为"):
        services.committee_create(actor=hr_province, **create_kwargs(series_eng, today))


def test_the_name_of_a_deregistered_committee_can_be_used_again(
    hr_province, make_committee, series_eng, today
):
    old = make_committee(hr_province, name="江苏省建筑工程高级职称评审委员会")
    services.committee_deregister(actor=hr_province, committee=old, reason="重新组建")
    committee, _ = services.committee_create(actor=hr_province, **create_kwargs(series_eng, today))
    assert committee.name == old.name


def test_a_province_officer_may_let_a_city_bureau_manage_the_committee(
    orgs, hr_province, series_eng, today
):
    committee, _ = services.committee_create(
        actor=hr_province, organization=orgs["city_nj"], **create_kwargs(series_eng, today)
    )
    assert committee.organization == orgs["city_nj"]
    assert committee.account.organization == orgs["city_nj"]


def test_a_city_officer_cannot_hand_a_committee_to_a_bureau_outside_its_subtree(
    orgs, hr_city, series_eng, today
):
    with pytest.raises(ApplicationError, match="管理机构不在您的管辖范围内"):
        services.committee_create(
            actor=hr_city, organization=orgs["province"], **create_kwargs(series_eng, today)
        )


def test_the_managing_organization_must_be_an_hr_bureau(orgs, hr_province, series_eng, today):
    with pytest.raises(ApplicationError, match="必须是人社部门"):
        services.committee_create(
            actor=hr_province, organization=orgs["unit_a"], **create_kwargs(series_eng, today)
        )


def test_an_applicant_cannot_create_a_committee(applicant, series_eng, today):
    with pytest.raises(ApplicationError, match="只有人社经办"):
        services.committee_create(actor=applicant, **create_kwargs(series_eng, today))


# --- 修改 -----------------------------------------------------------------------------------


def test_editing_changes_the_committee_and_renames_its_account(
    hr_province, province_committee, today
):
    committee = services.committee_update(
        actor=hr_province,
        committee=province_committee,
        name="省工程技术高评会（新）",
        approval_number="苏人社职〔2027〕1号",
        valid_until=today + dt.timedelta(days=900),
    )
    committee.refresh_from_db()
    assert committee.name == "省工程技术高评会（新）"
    assert committee.approval_number == "苏人社职〔2027〕1号"
    assert User.objects.get(pk=committee.account_id).real_name == "省工程技术高评会（新）"


def test_editing_to_a_validity_over_three_years_is_refused_and_nothing_changes(
    hr_province, province_committee, today
):
    before = province_committee.valid_until
    with pytest.raises(ApplicationError, match="有效期最长3年"):
        services.committee_update(
            actor=hr_province,
            committee=province_committee,
            valid_until=province_committee.valid_from + dt.timedelta(days=4 * 365),
        )
    province_committee.refresh_from_db()
    assert province_committee.valid_until == before


def test_a_city_officer_cannot_edit_a_province_committee(hr_city, province_committee):
    with pytest.raises(ApplicationError, match="不归您所在机构管理"):
        services.committee_update(actor=hr_city, committee=province_committee, name="改名")
    province_committee.refresh_from_db()
    assert province_committee.name == "省工程高评会"


def test_the_account_field_cannot_be_changed_by_editing(hr_province, province_committee):
    with pytest.raises(ApplicationError, match="不能修改的字段"):
        services.committee_update(
            actor=hr_province, committee=province_committee, account="someone"
        )


# --- 注销 -----------------------------------------------------------------------------------


def test_deregistering_keeps_the_history_and_disables_the_account(hr_province, province_committee):
    services.committee_deregister(
        actor=hr_province, committee=province_committee, reason="届满未重新核准"
    )
    committee = Committee.objects.get(pk=province_committee.pk)
    assert committee.status == CommitteeStatus.DEREGISTERED
    assert committee.deregister_reason == "届满未重新核准"
    assert committee.deregistered_by == hr_province
    assert committee.deregistered_at is not None
    assert User.objects.get(pk=committee.account_id).is_active is False
    entry = LogEntry.objects.filter(object_pk=str(committee.pk)).latest("pk")
    assert entry.additional_data["operation"] == "deregister"
    assert "届满未重新核准" in entry.additional_data["summary"]


def test_a_deregistered_committee_can_no_longer_log_in(hr_province, make_committee, series_eng):
    committee, password = services.committee_create(
        actor=hr_province,
        **create_kwargs(series_eng, dt.date.today()),
    )
    services.committee_deregister(actor=hr_province, committee=committee, reason="撤销")
    assert can_log_in("pwh_jz", password) is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_deregistering_needs_a_reason(hr_province, province_committee, reason):
    with pytest.raises(ApplicationError, match="请填写注销原因"):
        services.committee_deregister(
            actor=hr_province, committee=province_committee, reason=reason
        )
    province_committee.refresh_from_db()
    assert province_committee.status == CommitteeStatus.ACTIVE
    assert province_committee.account.is_active


def test_a_committee_cannot_be_deregistered_twice(hr_province, province_committee):
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="一")
    with pytest.raises(ApplicationError, match="已注销"):
        services.committee_deregister(actor=hr_province, committee=province_committee, reason="二")
    assert Committee.objects.get(pk=province_committee.pk).deregister_reason == "一"


def test_a_deregistered_committee_cannot_be_edited(hr_province, province_committee):
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="撤销")
    with pytest.raises(ApplicationError, match="已注销，不能修改"):
        services.committee_update(actor=hr_province, committee=province_committee, name="新")


def test_a_city_officer_cannot_deregister_a_province_committee(hr_city, province_committee):
    with pytest.raises(ApplicationError, match="不归您所在机构管理"):
        services.committee_deregister(actor=hr_city, committee=province_committee, reason="x")
    assert Committee.objects.get(pk=province_committee.pk).is_active


def test_status_transitions_table():
    assert services.TRANSITIONS[CommitteeStatus.ACTIVE] == {CommitteeStatus.DEREGISTERED}
    assert services.TRANSITIONS[CommitteeStatus.DEREGISTERED] == set()


# --- 可受理新工作 -----------------------------------------------------------------------------


def test_only_active_committees_within_validity_accept_new_work(hr_province, make_committee, today):
    current = make_committee(hr_province)
    expired = make_committee(
        hr_province,
        valid_from=today - dt.timedelta(days=800),
        valid_until=today - dt.timedelta(days=1),
    )
    future = make_committee(
        hr_province,
        valid_from=today + dt.timedelta(days=10),
        valid_until=today + dt.timedelta(days=100),
    )
    gone = make_committee(hr_province)
    services.committee_deregister(actor=hr_province, committee=gone, reason="撤销")
    gone.refresh_from_db()
    assert set(Committee.objects.accepting_work()) == {current}
    assert current.is_accepting_work
    assert not expired.is_accepting_work and expired.validity_display == "已过期"
    assert not future.is_accepting_work and future.validity_display == "未生效"
    assert not gone.is_accepting_work and gone.validity_display == "已注销"
    services.committee_require_accepting_work(committee=current)
    with pytest.raises(ApplicationError, match="过期"):
        services.committee_require_accepting_work(committee=expired)
    with pytest.raises(ApplicationError, match="起生效"):
        services.committee_require_accepting_work(committee=future)
    with pytest.raises(ApplicationError, match="已注销"):
        services.committee_require_accepting_work(committee=gone)


# --- 其他信息: 评审专业 ------------------------------------------------------------------------


def test_specialties_are_added_and_removed(hr_province, province_committee, specialties):
    link = services.committee_specialty_add(
        actor=hr_province, committee=province_committee, specialty=specialties["mech"]
    )
    services.committee_specialty_add(
        actor=hr_province, committee=province_committee, specialty=specialties["elec"]
    )
    assert set(province_committee.review_specialties.all()) == {
        specialties["mech"],
        specialties["elec"],
    }
    services.committee_specialty_remove(actor=hr_province, link=link)
    assert list(province_committee.review_specialties.all()) == [specialties["elec"]]


def test_the_same_specialty_cannot_be_added_twice(hr_province, province_committee, specialties):
    services.committee_specialty_add(
        actor=hr_province, committee=province_committee, specialty=specialties["mech"]
    )
    with pytest.raises(ApplicationError, match="已添加"):
        services.committee_specialty_add(
            actor=hr_province, committee=province_committee, specialty=specialties["mech"]
        )
    assert province_committee.specialty_links.count() == 1


def test_a_top_level_category_is_not_a_review_specialty(
    hr_province, province_committee, specialties
):
    with pytest.raises(ApplicationError, match="栏目大类"):
        services.committee_specialty_add(
            actor=hr_province, committee=province_committee, specialty=specialties["category"]
        )


def test_a_specialty_can_be_changed_to_another(hr_province, province_committee, specialties):
    link = services.committee_specialty_add(
        actor=hr_province, committee=province_committee, specialty=specialties["mech"]
    )
    services.committee_specialty_change(actor=hr_province, link=link, specialty=specialties["elec"])
    assert list(province_committee.review_specialties.all()) == [specialties["elec"]]


def test_other_information_of_a_deregistered_committee_is_frozen(
    hr_province, province_committee, specialties, orgs
):
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="撤销")
    with pytest.raises(ApplicationError, match="已注销"):
        services.committee_specialty_add(
            actor=hr_province, committee=province_committee, specialty=specialties["mech"]
        )
    with pytest.raises(ApplicationError, match="已注销"):
        services.committee_organizer_add(
            actor=hr_province, committee=province_committee, organization=orgs["organizer_eng"]
        )
    with pytest.raises(ApplicationError, match="已注销"):
        services.fee_standard_create(
            actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="100"
        )


# --- 其他信息: 组建单位 ------------------------------------------------------------------------


def test_organizers_are_added_and_removed(hr_province, province_committee, orgs):
    link = services.committee_organizer_add(
        actor=hr_province, committee=province_committee, organization=orgs["organizer_eng"]
    )
    services.committee_organizer_add(
        actor=hr_province, committee=province_committee, organization=orgs["unit_k"]
    )
    assert set(province_committee.organizers.all()) == {orgs["organizer_eng"], orgs["unit_k"]}
    services.committee_organizer_remove(actor=hr_province, link=link)
    assert list(province_committee.organizers.all()) == [orgs["unit_k"]]


def test_an_organizer_outside_the_officers_subtree_is_refused(hr_city, city_committee, orgs):
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.committee_organizer_add(
            actor=hr_city, committee=city_committee, organization=orgs["organizer_eng"]
        )
    assert city_committee.organizer_links.count() == 0


def test_a_deregistered_organization_cannot_be_an_organizer(hr_province, province_committee, orgs):
    unit = orgs["unit_k"]
    unit.status = OrgStatus.DEREGISTERED  # lint: allow (test setup)
    unit.save()
    with pytest.raises(ApplicationError, match="已注销，不能选择"):
        services.committee_organizer_add(
            actor=hr_province, committee=province_committee, organization=unit
        )


def test_the_same_organizer_cannot_be_added_twice(hr_province, province_committee, orgs):
    services.committee_organizer_add(
        actor=hr_province, committee=province_committee, organization=orgs["organizer_eng"]
    )
    with pytest.raises(ApplicationError, match="已添加"):
        services.committee_organizer_add(
            actor=hr_province, committee=province_committee, organization=orgs["organizer_eng"]
        )


def test_a_missing_organizer_is_refused_like_an_out_of_scope_one(hr_province, province_committee):
    with pytest.raises(ApplicationError, match="组建单位不存在或不在您的管辖范围内"):
        services.committee_organizer_add(
            actor=hr_province, committee=province_committee, organization=None
        )


# --- 其他信息: 缴费标准 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("120", Decimal("120.00")), ("99.5", Decimal("99.50")), (300.25, Decimal("300.25")),
     ("1,200.00", Decimal("1200.00")), (Decimal("0.01"), Decimal("0.01"))],
)  # fmt: skip
def test_fee_amounts_are_yuan_with_two_decimals(hr_province, province_committee, raw, stored):
    fee = services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount=raw
    )
    assert FeeStandard.objects.get(pk=fee.pk).amount == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-50", "必须大于0"),
        ("0", "必须大于0"),
        ("0.00", "必须大于0"),
        ("12.345", "最多保留两位小数"),
        ("abc", "不是有效的数字"),
        ("NaN", "不是有效的数字"),
        ("", "请填写缴费金额"),
        ("1e12", "不是有效的数字"),
        ("1e2", "不是有效的数字"),
        ("1E2", "不是有效的数字"),
        ("Infinity", "不是有效的数字"),
        ("100000000", "过大"),
    ],
)
def test_bad_fee_amounts_are_refused_and_nothing_is_saved(
    hr_province, province_committee, raw, message
):
    with pytest.raises(ApplicationError, match=message):
        services.fee_standard_create(
            actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount=raw
        )
    assert FeeStandard.objects.count() == 0


def test_an_unknown_fee_item_is_refused(hr_province, province_committee):
    with pytest.raises(ApplicationError, match="缴费项目.*无效"):
        services.fee_standard_create(
            actor=hr_province, committee=province_committee, item="bribe", amount="10"
        )


def test_the_same_fee_item_twice_is_refused_unless_the_note_differs(
    hr_province, province_committee
):
    services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    with pytest.raises(ApplicationError, match="已存在"):
        services.fee_standard_create(
            actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="200"
        )
    services.fee_standard_create(
        actor=hr_province,
        committee=province_committee,
        item=FeeItem.REVIEW,
        amount="400",
        note="正高级",
    )
    assert province_committee.fees.count() == 2


def test_a_fee_is_updated_and_deleted(hr_province, province_committee):
    fee = services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.MATERIAL, amount="50"
    )
    services.fee_standard_update(actor=hr_province, fee=fee, amount="60.5", note="纸质材料")
    fee.refresh_from_db()
    assert (fee.amount, fee.note) == (Decimal("60.50"), "纸质材料")
    with pytest.raises(ApplicationError, match="必须大于0"):
        services.fee_standard_update(actor=hr_province, fee=fee, amount="-1")
    fee.refresh_from_db()
    assert fee.amount == Decimal("60.50")
    services.fee_standard_delete(actor=hr_province, fee=fee)
    assert not FeeStandard.objects.filter(pk=fee.pk).exists()


def test_a_city_officer_cannot_change_fees_of_a_province_committee(
    hr_province, hr_city, province_committee
):
    fee = services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    with pytest.raises(ApplicationError, match="不归您所在机构管理"):
        services.fee_standard_update(actor=hr_city, fee=fee, amount="1")
    with pytest.raises(ApplicationError, match="不归您所在机构管理"):
        services.fee_standard_delete(actor=hr_city, fee=fee)
    assert FeeStandard.objects.get(pk=fee.pk).amount == Decimal("300.00")


def test_a_plan_reviewer_can_neither_create_nor_change_committees(
    plan_reviewer, province_committee, series_eng, today
):
    with pytest.raises(ApplicationError, match="只有人社经办"):
        services.committee_create(actor=plan_reviewer, **create_kwargs(series_eng, today))
    with pytest.raises(ApplicationError, match="不归您所在机构管理"):
        services.committee_update(actor=plan_reviewer, committee=province_committee, name="x")
    with pytest.raises(ApplicationError, match="没有注销评委会的权限"):
        services.committee_deregister(actor=plan_reviewer, committee=province_committee, reason="x")
