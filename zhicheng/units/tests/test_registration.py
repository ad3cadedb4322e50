"""单位注册: checked code, already registered, approval by the 主管单位, refusal, login state,
password reset by the level above."""

import pytest
from django.core.exceptions import PermissionDenied

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.routing.models import RouteEdge
from zhicheng.units import services
from zhicheng.units.models import RegistrationStatus, UnitRegistration

from .conftest import UNIT_PASSWORD, new_uscc

GOOD = new_uscc()
WRONG_CHECK = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def _counts():
    return UnitRegistration.objects.count(), User.objects.count(), Organization.objects.count()


def test_register_makes_a_pending_registration_with_an_inactive_login(register):
    reg = register()
    assert reg.status == RegistrationStatus.PENDING
    assert reg.account.username == reg.uscc
    assert not reg.account.is_active
    assert reg.account.check_password(UNIT_PASSWORD)


@pytest.mark.parametrize("prefix", ["N1", "Y1", "A1", "51", "91"])
def test_codes_starting_with_a_letter_are_valid_when_the_check_character_is(register, prefix):
    reg = register(uscc=new_uscc(prefix=prefix, body="MA1ABC123"))
    assert reg.uscc.startswith(prefix)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91320115MA1TEST0", "18位"),
        ("91320115MA1TEST01I", "非法字符"),
        (WRONG_CHECK, "校验位错误"),
    ],
)
def test_a_bad_code_is_refused_and_nothing_is_written(register, code, message):
    before = _counts()
    with pytest.raises(ApplicationError, match=message):
        register(uscc=code)
    assert _counts() == before


def test_a_code_already_registered_is_refused(register, orgs):
    register()
    before = _counts()
    with pytest.raises(ApplicationError, match="已注册"):
        register()
    with pytest.raises(ApplicationError, match="已注册"):
        register(uscc=orgs["unit_a"].uscc)
    assert _counts() == before


def test_the_competent_unit_must_be_a_competent_department_or_bureau(register):
    with pytest.raises(ApplicationError, match="不是可选的主管单位"):
        register(competent="unit_b")


def test_a_weak_password_is_refused(register):
    before = _counts()
    with pytest.raises(ApplicationError):
        register(password="123")
    assert _counts() == before


def test_the_competent_officer_approves_the_unit_joins_the_tree_and_its_routes(
    register, world, orgs
):
    reg = register()
    officer = world.officers["dept_jn_it"]
    services.unit_registration_approve(actor=officer, registration=reg)
    reg.refresh_from_db()
    unit = reg.organization
    assert reg.status == RegistrationStatus.APPROVED and reg.decided_by == officer
    assert unit.org_type == OrgType.EMPLOYER and unit.region_code == "320115"
    dept = orgs["dept_jn_it"]
    assert unit.path.startswith(dept.path) and unit.depth == dept.depth + 1
    account = User.objects.get(pk=reg.account_id)
    assert account.is_active and account.organization_id == unit.pk
    assert account.has_role(Role.EMPLOYER_OFFICER)


def test_approval_by_an_hr_officer_above_links_the_unit_on_the_routes(register, world):
    reg = register()
    services.unit_registration_approve(actor=world.officers["county_jn"], registration=reg)
    reg.refresh_from_db()
    # The 主管单位 is on three routes in the world: the unit now is too, as 用人单位.
    assert RouteEdge.objects.filter(subordinate=reg.organization).count() == 3


def test_an_officer_out_of_scope_cannot_see_or_approve(register, make_user, orgs, world):
    reg = register()
    other = make_user(orgs["city_sz"], Role.HR_OFFICER, username="t_sz")
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.unit_registration_approve(actor=other, registration=reg)
    applicant = world.applicant
    with pytest.raises(PermissionDenied):
        services.unit_registration_approve(actor=applicant, registration=reg)


def test_refusal_needs_a_reason_and_the_unit_may_register_again(register, world):
    reg = register()
    officer = world.officers["dept_jn_it"]
    with pytest.raises(ApplicationError, match="原因"):
        services.unit_registration_refuse(actor=officer, registration=reg, reason=" ")
    services.unit_registration_refuse(actor=officer, registration=reg, reason="名称与执照不符")
    with pytest.raises(ApplicationError, match="不能再审核"):
        services.unit_registration_approve(actor=officer, registration=reg)
    again = register(uscc=reg.uscc, name="南京江宁测试科技股份有限公司")
    assert again.account_id == reg.account_id and again.status == RegistrationStatus.PENDING


def test_login_shows_a_pending_or_refused_registration(register, world, client):
    reg = register()
    response = client.post("/login/", {"username": reg.uscc, "password": UNIT_PASSWORD})
    assert "等待主管单位" in response.content.decode()
    services.unit_registration_refuse(
        actor=world.officers["dept_jn_it"], registration=reg, reason="材料不全"
    )
    response = client.post("/login/", {"username": reg.uscc, "password": UNIT_PASSWORD})
    assert "未通过审核：材料不全" in response.content.decode()
    # A wrong password says nothing about the registration.
    response = client.post("/login/", {"username": reg.uscc, "password": "Wrong@2026pw"})
    assert "材料不全" not in response.content.decode()


def test_the_level_above_resets_a_unit_password(register, world):
    reg = register()
    services.unit_registration_approve(actor=world.officers["dept_jn_it"], registration=reg)
    account = User.objects.get(pk=reg.account_id)
    password = services.unit_account_password_reset(
        actor=world.officers["county_jn"], account=account
    )
    account.refresh_from_db()
    assert account.check_password(password) and account.must_change_password


def test_a_unit_cannot_reset_its_own_or_a_sibling_password(world, make_user, orgs):
    colleague = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a2")
    with pytest.raises(ApplicationError, match="下级单位"):
        services.unit_account_password_reset(actor=world.officers["unit_a"], account=colleague)
    sibling = make_user(orgs["unit_b"], Role.EMPLOYER_OFFICER, username="t_unit_b")
    with pytest.raises(ApplicationError, match="下级单位"):
        services.unit_account_password_reset(actor=world.officers["unit_a"], account=sibling)
