"""1.9 发证单位编码配置 through the services."""

import pytest
from auditlog.models import LogEntry

from zhicheng.accounts.roles import Role
from zhicheng.certificates import selectors, services
from zhicheng.certificates.models import IssuingUnit
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.services import organization_deregister


def test_an_officer_adds_an_issuing_unit_for_an_organization_in_scope(hr_city, orgs):
    unit = services.issuing_unit_create(
        actor=hr_city, organization=orgs["county_jn"], code="32011501"
    )
    assert unit.is_active
    assert unit.created_by == hr_city
    assert str(unit) == "32011501 南京市江宁区人力资源和社会保障局"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请填写编码"),
        ("3201001", "应为8位数字"),
        ("320100001", "应为8位数字"),
        ("3201000A", "应为8位数字"),
        ("32010000", "顺序号应为01–99"),
        ("32050001", "编码前6位应为该单位的行政区划代码 320100"),
    ],
)
def test_a_code_breaking_the_format_rule_is_refused(hr_city, orgs, code, message):
    with pytest.raises(ApplicationError, match=message):
        services.issuing_unit_create(actor=hr_city, organization=orgs["city_nj"], code=code)
    assert not IssuingUnit.objects.exists()


def test_a_code_in_use_is_refused_naming_its_unit(hr_province, orgs, nj_unit):
    with pytest.raises(
        ApplicationError, match="编码“32010001”已被“南京市人力资源和社会保障局”使用"
    ):
        services.issuing_unit_create(
            actor=hr_province, organization=orgs["unit_k"], code="32010001"
        )
    assert IssuingUnit.objects.count() == 1


def test_an_organization_has_at_most_one_active_issuing_unit(hr_city, orgs, nj_unit):
    with pytest.raises(ApplicationError, match="已有正常状态的发证单位编码 32010001"):
        services.issuing_unit_create(actor=hr_city, organization=orgs["city_nj"], code="32010002")
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="机构调整")
    again = services.issuing_unit_create(
        actor=hr_city, organization=orgs["city_nj"], code="32010002"
    )
    assert again.is_active


def test_a_deregistered_code_is_never_reused(hr_city, orgs, nj_unit):
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="机构调整")
    with pytest.raises(ApplicationError, match="（已注销，编码不再复用）"):
        services.issuing_unit_create(actor=hr_city, organization=orgs["city_nj"], code="32010001")


def test_an_organization_outside_the_bureaus_subtree_is_refused(hr_city, orgs):
    with pytest.raises(ApplicationError, match="单位不存在或不在您的管辖范围内"):
        services.issuing_unit_create(actor=hr_city, organization=orgs["city_sz"], code="32050001")
    assert not IssuingUnit.objects.exists()


def test_a_deregistered_organization_cannot_become_an_issuing_unit(hr_city, orgs):
    organization_deregister(actor=hr_city, organization=orgs["unit_k"])
    with pytest.raises(ApplicationError, match="已注销，不能设为发证单位"):
        services.issuing_unit_create(actor=hr_city, organization=orgs["unit_k"], code="32010002")


def test_an_officer_without_the_permission_cannot_add(orgs, make_user):
    employer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    with pytest.raises(ApplicationError, match="没有执行此操作的权限"):
        services.issuing_unit_create(actor=employer, organization=orgs["unit_a"], code="32011501")


def test_deregistering_keeps_reason_who_and_when_and_is_logged(hr_city, nj_unit):
    unit = services.issuing_unit_deregister(
        actor=hr_city, issuing_unit=nj_unit, reason="  机构合并  "
    )
    unit.refresh_from_db()
    assert unit.status == "deregistered"
    assert unit.deregister_reason == "机构合并"
    assert unit.deregistered_by == hr_city
    assert unit.deregistered_at is not None
    entry = LogEntry.objects.get(additional_data__operation="deregister", object_pk=str(unit.pk))
    assert entry.actor == hr_city
    assert "机构合并" in entry.additional_data["summary"]


@pytest.mark.parametrize("reason", ["", "   ", "因" * 501])
def test_deregistering_needs_a_reason(hr_city, nj_unit, reason):
    with pytest.raises(ApplicationError, match="注销原因"):
        services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason=reason)
    nj_unit.refresh_from_db()
    assert nj_unit.is_active


def test_a_deregistered_unit_cannot_be_deregistered_edited_or_chosen(hr_city, nj_unit):
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    nj_unit.refresh_from_db()
    with pytest.raises(ApplicationError, match="该发证单位已注销"):
        services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="再次")
    with pytest.raises(ApplicationError, match="已注销的发证单位不能修改"):
        services.issuing_unit_update(actor=hr_city, issuing_unit=nj_unit, code="32010002")
    with pytest.raises(ApplicationError, match="已注销，不能选择"):
        services.issuing_unit_require_active(nj_unit)
    assert selectors.issuing_unit_typeahead(user=hr_city, search="南京") == []


def test_an_officer_corrects_the_code_of_an_active_unit(hr_city, nj_unit):
    services.issuing_unit_update(actor=hr_city, issuing_unit=nj_unit, code="32010009")
    nj_unit.refresh_from_db()
    assert nj_unit.code == "32010009"


def test_another_city_can_neither_see_nor_change_a_unit(hr_suzhou, nj_unit):
    assert not selectors.issuing_unit_list(user=hr_suzhou).exists()
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.issuing_unit_deregister(actor=hr_suzhou, issuing_unit=nj_unit, reason="越权")
    nj_unit.refresh_from_db()
    assert nj_unit.is_active


def test_the_province_sees_all_and_a_city_its_subtree(hr_province, hr_city, nj_unit, sz_unit):
    assert set(selectors.issuing_unit_list(user=hr_province)) == {nj_unit, sz_unit}
    assert list(selectors.issuing_unit_list(user=hr_city)) == [nj_unit]


def test_the_list_filters_by_code_name_and_status(hr_province, hr_city, nj_unit, sz_unit):
    assert list(selectors.issuing_unit_list(user=hr_province, code="3205")) == [sz_unit]
    assert list(selectors.issuing_unit_list(user=hr_province, name="南京")) == [nj_unit]
    services.issuing_unit_deregister(actor=hr_city, issuing_unit=nj_unit, reason="撤并")
    assert list(selectors.issuing_unit_list(user=hr_province, status="deregistered")) == [nj_unit]


def test_demo_loads_two_issuing_units_idempotently_through_the_service(orgs):
    from zhicheng.accounts.demo import load_demo_accounts
    from zhicheng.certificates.demo import load

    load_demo_accounts(orgs)
    load(orgs)
    load(orgs)
    units = IssuingUnit.objects.order_by("code")
    assert [u.code for u in units] == ["32000001", "32010001"]
    assert {u.created_by.username for u in units} == {"hr_province"}
