"""用户管理 shows applicants' user names (their 身份证号) masked to a system admin, who does not
hold ``accounts.view_full_id_number``: list, search, 详情, confirmations, messages, password page."""

from html import unescape

import pytest
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.common.validators import mask_id_number

NUMBER = "11010519491231002X"
MASKED = "110105********002X"
LIST = reverse("accounts:user-list")


@pytest.fixture
def id_applicant(orgs, make_user):
    return make_user(orgs["unit_a"], Role.APPLICANT, username=NUMBER)


@pytest.fixture
def admin_client(client, orgs, make_user):
    client.force_login(make_user(orgs["city_nj"], Role.SYSTEM_ADMIN, username="t_city_admin"))
    return client


def test_the_user_list_masks_user_names_that_are_id_numbers(admin_client, id_applicant):
    html = unescape(admin_client.get(LIST).content.decode())
    assert NUMBER not in html
    assert MASKED in html
    assert "t_city_admin" in html  # other user names as they are


def test_searching_part_of_a_number_does_not_reveal_the_masked_digits(admin_client, id_applicant):
    html = admin_client.get(LIST, {"username": NUMBER[:10]}).content.decode()
    assert MASKED not in html
    html = admin_client.get(LIST, {"username": NUMBER.lower()}).content.decode()
    assert MASKED in html
    html = admin_client.get(LIST, {"username": "city_ad"}).content.decode()
    assert "t_city_admin" in html


def test_the_user_detail_and_its_confirmations_mask_the_number(admin_client, id_applicant):
    html = unescape(
        admin_client.get(reverse("accounts:user-detail", args=[id_applicant.pk])).content.decode()
    )
    assert NUMBER not in html
    assert f"确定停用用户“{MASKED}”吗" in html


def test_messages_and_the_password_page_mask_the_number(admin_client, id_applicant):
    response = admin_client.post(
        reverse("accounts:user-reset-password", args=[id_applicant.pk]), follow=True
    )
    html = unescape(response.content.decode())
    assert NUMBER not in html
    assert f"用户“{MASKED}”的密码已重置" in html
    response = admin_client.post(
        reverse("accounts:user-toggle-active", args=[id_applicant.pk]),
        {"is_active": "0"},
        follow=True,
    )
    html = unescape(response.content.decode())
    assert NUMBER not in html
    assert f"用户“{MASKED}”已停用" in html


def test_with_the_permission_a_list_still_masks_but_finds_by_part(
    client, orgs, make_user, id_applicant
):
    """Lists mask every 身份证号 whatever the rights (issue 10); the permission still lets a
    part of the number find the account."""
    admin = make_user(orgs["city_nj"], Role.SYSTEM_ADMIN, Role.HR_OFFICER, username="t_admin_hr")
    client.force_login(admin)
    assert NUMBER not in client.get(LIST).content.decode()
    found = client.get(LIST, {"username": NUMBER[:10]}).content.decode()
    assert mask_id_number(NUMBER) in found and NUMBER not in found
