"""用户管理 pages and services: scoped list, 新增 with a one-time password, 编辑, 停用/启用, 重置密码."""

from html import unescape

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from zhicheng.accounts import services
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError

LIST = reverse("accounts:user-list")
CREATE = reverse("accounts:user-create")
LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city_admin(orgs, make_user):
    return make_user(orgs["city_nj"], Role.SYSTEM_ADMIN, username="t_city_admin")


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


@pytest.fixture
def people(orgs, make_user):
    return {
        "jn": make_user(orgs["county_jn"], Role.HR_OFFICER, username="jn_officer", real_name="江宁经办"),
        "unit": make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="unit_officer"),
        "sz": make_user(orgs["city_sz"], Role.HR_OFFICER, username="sz_officer"),
    }  # fmt: skip


def new_user_data(orgs, **overrides):
    data = {
        "username": "new_officer",
        "real_name": "新经办",
        "phone": "13912345678",
        "organization": orgs["county_jn"].pk,
        "roles": [Role.HR_OFFICER],
    }
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_list_shows_only_users_of_the_admins_subtree(admin_client, people):
    html = admin_client.get(LIST).content.decode()
    assert "jn_officer" in html and "unit_officer" in html
    assert "sz_officer" not in html


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("username=jn_", "jn_officer", "unit_officer"),
        ("real_name=江宁", "jn_officer", "unit_officer"),
        (f"role={Role.EMPLOYER_OFFICER}", "unit_officer", "jn_officer"),
    ],
)
def test_list_filters(admin_client, people, query, present, absent):
    html = admin_client.get(f"{LIST}?{query}").content.decode()
    assert present in html and absent not in html


def test_list_filters_by_organization_subtree_and_status(admin_client, people, orgs, city_admin):
    services.user_set_active(actor=city_admin, user=people["unit"], is_active=False)
    html = admin_client.get(f"{LIST}?organization={orgs['dept_jn_it'].pk}").content.decode()
    assert "unit_officer" in html and "jn_officer" not in html
    html = admin_client.get(f"{LIST}?status=inactive").content.decode()
    assert "unit_officer" in html and "jn_officer" not in html


def test_list_filter_by_an_out_of_scope_organization_is_refused(admin_client, people, orgs):
    html = admin_client.get(f"{LIST}?organization={orgs['city_sz'].pk}").content.decode()
    assert "机构不存在或不在管辖范围内" in html
    assert "sz_officer" not in html


def test_list_query_count_is_bounded(admin_client, orgs, make_user, django_assert_max_num_queries):
    for i in range(25):
        make_user(orgs["unit_b"], Role.EMPLOYER_OFFICER, Role.APPLICANT, username=f"bulk{i:02d}")
    with django_assert_max_num_queries(13):
        response = admin_client.get(f"{LIST}?page_size=50")
    assert response.content.decode().count(">bulk") == 25


def test_user_management_needs_the_system_admin_role(client, hr_city):
    client.force_login(hr_city)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403


# --- create ---------------------------------------------------------------------------------------


def test_create_shows_the_password_once_and_forces_a_change(admin_client, orgs):
    response = admin_client.post(CREATE, new_user_data(orgs))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    start = html.index('data-testid="one-time-password">') + len('data-testid="one-time-password">')
    password = unescape(html[start : html.index("<", start)])  # "&" is shown as "&amp;"
    user = User.objects.get(username="new_officer")
    assert user.organization == orgs["county_jn"]
    assert user.role_codes == {Role.HR_OFFICER}
    assert user.must_change_password
    assert user.check_password(password)
    # Shown once: the detail page does not show it again.
    detail = admin_client.get(reverse("accounts:user-detail", args=[user.pk])).content.decode()
    assert password not in detail
    # The new user's first request leads to the password change.
    client = Client()  # the new user's own browser
    response = client.post(LOGIN, {"username": "new_officer", "password": password})
    assert response.status_code == 302
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change")


def test_create_in_an_out_of_scope_organization_is_refused(admin_client, orgs):
    response = admin_client.post(CREATE, new_user_data(orgs, organization=orgs["city_sz"].pk))
    assert response.status_code == 200
    assert "机构不存在或不在管辖范围内" in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()


def test_create_with_a_taken_username_or_no_role_is_refused(admin_client, orgs, people):
    html = admin_client.post(CREATE, new_user_data(orgs, username="JN_OFFICER")).content.decode()
    assert "已被使用" in html
    html = admin_client.post(CREATE, new_user_data(orgs, roles=[])).content.decode()
    assert "请至少选择一个角色" in html
    html = admin_client.post(CREATE, new_user_data(orgs, phone="12345")).content.decode()
    assert "请输入11位手机号码" in html
    assert not User.objects.filter(username="new_officer").exists()


def test_create_form_marks_required_fields(admin_client):
    html = admin_client.get(CREATE).content.decode()
    for label in ("用户名", "姓名", "所属机构", "角色"):
        assert f'<span class="required-mark">*</span>{label}' in html
    assert '<span class="required-mark">*</span>手机号' not in html


def test_service_refuses_an_out_of_scope_organization(city_admin, orgs):
    with pytest.raises(ApplicationError, match="管辖范围"):
        services.user_create(
            actor=city_admin, username="x1", organization=orgs["city_sz"], roles=[Role.HR_OFFICER]
        )


# --- edit, activation, password reset ------------------------------------------------------------


def test_edit_changes_roles_organization_name_and_phone(admin_client, people, orgs):
    user = people["jn"]
    response = admin_client.post(
        reverse("accounts:user-update", args=[user.pk]),
        {"real_name": "改名", "phone": "13800000000", "organization": orgs["dept_jn_edu"].pk,
         "roles": [Role.EMPLOYER_OFFICER, Role.PLAN_REVIEWER]},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert (user.real_name, user.phone) == ("改名", "13800000000")
    assert user.organization == orgs["dept_jn_edu"]
    assert user.role_codes == {Role.EMPLOYER_OFFICER, Role.PLAN_REVIEWER}


def test_edit_form_shows_the_current_values(admin_client, people, orgs):
    html = admin_client.get(reverse("accounts:user-update", args=[people["jn"].pk])).content
    html = html.decode()
    assert orgs["county_jn"].name in html
    assert f'value="{Role.HR_OFFICER}" class="form-check-input" id="id_roles_2" checked' in html


def test_admin_cannot_change_their_own_roles(admin_client, city_admin, orgs):
    response = admin_client.post(
        reverse("accounts:user-update", args=[city_admin.pk]),
        {"real_name": "我", "organization": orgs["city_nj"].pk,
         "roles": [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN]},
    )  # fmt: skip
    assert "不能修改本人的角色" in response.content.decode()
    assert User.objects.get(pk=city_admin.pk).role_codes == {Role.SYSTEM_ADMIN}


@pytest.mark.parametrize("name", ["accounts:user-detail", "accounts:user-update"])
def test_out_of_scope_user_pages_give_404(admin_client, people, name):
    assert admin_client.get(reverse(name, args=[people["sz"].pk])).status_code == 404


@pytest.mark.parametrize("name", ["accounts:user-toggle-active", "accounts:user-reset-password"])
def test_out_of_scope_user_actions_give_404_and_change_nothing(admin_client, people, name):
    sz = people["sz"]
    assert admin_client.post(reverse(name, args=[sz.pk])).status_code == 404
    sz = User.objects.get(pk=sz.pk)
    assert sz.is_active and not sz.must_change_password


def test_deactivate_and_activate_are_recorded(admin_client, people):
    user = people["unit"]
    url = reverse("accounts:user-toggle-active", args=[user.pk])
    response = admin_client.post(url, {"is_active": "0", "next": LIST}, follow=True)
    assert "已停用" in response.content.decode()
    assert not User.objects.get(pk=user.pk).is_active
    admin_client.post(url, {"is_active": "1"})
    assert User.objects.get(pk=user.pk).is_active
    operations = list(
        LogEntry.objects.filter(object_pk=str(user.pk), additional_data__operation__isnull=False)
        .order_by("pk")
        .values_list("additional_data__operation", flat=True)
    )
    assert operations == ["deactivate", "activate"]


def test_deactivate_asks_for_confirmation(admin_client, people):
    html = admin_client.get(f"{LIST}?username=unit_officer").content.decode()
    assert 'data-confirm="确定停用用户“unit_officer”吗？' in html


def test_a_deactivated_user_cannot_log_in(admin_client, people):
    admin_client.post(
        reverse("accounts:user-toggle-active", args=[people["unit"].pk]), {"is_active": "0"}
    )
    response = Client().post(LOGIN, {"username": "unit_officer", "password": "Test@2026pw"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_admin_cannot_deactivate_themselves(admin_client, city_admin):
    url = reverse("accounts:user-toggle-active", args=[city_admin.pk])
    response = admin_client.post(url, {"is_active": "0"}, follow=True)
    assert "不能停用本人账号" in response.content.decode()
    assert User.objects.get(pk=city_admin.pk).is_active


def test_reset_password_shows_a_new_password_once_and_forces_a_change(admin_client, people):
    user = people["unit"]
    response = admin_client.post(reverse("accounts:user-reset-password", args=[user.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    start = html.index('data-testid="one-time-password">') + len('data-testid="one-time-password">')
    password = unescape(html[start : html.index("<", start)])  # "&" is shown as "&amp;"
    user = User.objects.get(pk=user.pk)
    assert not user.check_password("Test@2026pw")
    assert user.check_password(password)
    assert user.must_change_password
    assert LogEntry.objects.filter(
        object_pk=str(user.pk), additional_data__operation="reset_password"
    ).exists()


def test_reset_password_is_post_only(admin_client, people):
    url = reverse("accounts:user-reset-password", args=[people["unit"].pk])
    assert admin_client.get(url).status_code == 405


def test_the_province_admin_finds_a_self_registered_applicant_and_resets_him(
    client, orgs, make_user, city_admin
):
    """Issue 10 #7: an applicant who registered himself has no organization; the province's
    administrator finds him in 用户管理 and gives him a one-time password; a city's does not."""
    from zhicheng.persons.services import applicant_register

    person = applicant_register(
        name="自注册", id_number="11010519491231002X", mobile="13900000001", password="Apply@2026pw"
    )
    applicant = person.user
    assert applicant.organization_id is None
    province_admin = make_user(orgs["province"], Role.SYSTEM_ADMIN, username="t_prov_admin")
    client.force_login(province_admin)
    listing = client.get(reverse("accounts:user-list"), {"username": "11010519491231002X"})
    assert listing.context["paginator"].count == 1
    assert client.get(reverse("accounts:user-detail", args=[applicant.pk])).status_code == 200
    reset = client.post(reverse("accounts:user-reset-password", args=[applicant.pk]), follow=True)
    assert "password-once" in reset.content.decode()
    applicant.refresh_from_db()
    assert applicant.must_change_password

    client.force_login(city_admin)
    listing = client.get(reverse("accounts:user-list"), {"username": "11010519491231002X"})
    assert listing.context["paginator"].count == 0
    assert client.get(reverse("accounts:user-detail", args=[applicant.pk])).status_code == 404
    assert (
        client.post(reverse("accounts:user-reset-password", args=[applicant.pk])).status_code == 404
    )
