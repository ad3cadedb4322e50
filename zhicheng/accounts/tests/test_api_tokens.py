"""API tokens die with the password they were taken with, with the account's deactivation and
after ZHICHENG_TOKEN_TTL_HOURS (issue 9, point 3)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhicheng.accounts import services
from zhicheng.accounts.authentication import TOKEN_EXPIRED_MESSAGE
from zhicheng.accounts.roles import Role
from zhicheng.accounts.tests.timetravel import travel
from zhicheng.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ORGS_URL = "/api/v1/organizations/"
NEW_PASSWORD = "Xin#Mima2026"


def obtain_token(username: str, password: str) -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api_get(token: str, url: str = ORGS_URL):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(url)


def change_password_on_the_page(username: str, old: str, new: str) -> None:
    client = Client()
    assert client.post("/login/", {"username": username, "password": old}).status_code == 302
    response = client.post(
        "/password/change/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302


@pytest.fixture
def city_admin(orgs, make_user):
    return make_user(orgs["city_nj"], Role.SYSTEM_ADMIN, username="t_city_admin")


def test_a_password_change_revokes_the_token_and_the_endpoint_issues_a_new_one(hr_city):
    old = obtain_token("t_hr_city", PASSWORD)
    assert api_get(old).status_code == 200

    change_password_on_the_page("t_hr_city", PASSWORD, NEW_PASSWORD)

    response = api_get(old)
    assert response.status_code == 401
    assert "认证" in response.json()["detail"] or "Token" in response.json()["detail"]
    new = obtain_token("t_hr_city", NEW_PASSWORD)
    assert new != old
    assert api_get(new).status_code == 200


def test_an_administrators_reset_revokes_the_token_for_good(hr_city, city_admin):
    old = obtain_token("t_hr_city", PASSWORD)
    client = Client()
    client.force_login(city_admin)
    reset = client.post(reverse("accounts:user-reset-password", args=[hr_city.pk]))
    assert reset.status_code == 200
    default_password = reset.context["password"]
    assert api_get(old).status_code == 401

    # The user sets a new password after the reset: the token taken before stays dead.
    change_password_on_the_page("t_hr_city", default_password, NEW_PASSWORD)
    assert api_get(old).status_code == 401
    assert not Token.objects.filter(key=old).exists()
    assert api_get(obtain_token("t_hr_city", NEW_PASSWORD)).status_code == 200


def test_reactivating_an_account_does_not_bring_its_old_token_back(hr_city, city_admin):
    old = obtain_token("t_hr_city", PASSWORD)
    services.user_set_active(actor=city_admin, user=hr_city, is_active=False)
    assert api_get(old).status_code == 401
    services.user_set_active(actor=city_admin, user=hr_city, is_active=True)

    assert api_get(old).status_code == 401
    new = obtain_token("t_hr_city", PASSWORD)
    assert new != old
    assert api_get(new).status_code == 200


def test_deactivation_through_the_edit_service_revokes_the_token_too(hr_city):
    old = obtain_token("t_hr_city", PASSWORD)
    services.user_update(user=hr_city, is_active=False)
    services.user_update(user=hr_city, is_active=True)
    assert api_get(old).status_code == 401


def test_a_token_expires_after_the_configured_hours(hr_city, settings):
    settings.ZHICHENG_TOKEN_TTL = dt.timedelta(hours=12)
    token = obtain_token("t_hr_city", PASSWORD)
    with travel(dt.timedelta(hours=11, minutes=59)):
        assert api_get(token).status_code == 200
    with travel(dt.timedelta(hours=12, seconds=1)):
        response = api_get(token)
    assert response.status_code == 401
    assert response.json() == {"detail": TOKEN_EXPIRED_MESSAGE}
    assert not Token.objects.filter(key=token).exists()


def test_the_token_endpoint_issues_a_fresh_token_once_the_old_one_expired(hr_city, settings):
    settings.ZHICHENG_TOKEN_TTL = dt.timedelta(hours=2)
    first = obtain_token("t_hr_city", PASSWORD)
    with travel(dt.timedelta(hours=1)):
        assert obtain_token("t_hr_city", PASSWORD) == first  # still valid: the same one
    with travel(dt.timedelta(hours=3)):
        fresh = obtain_token("t_hr_city", PASSWORD)
        assert fresh != first
        assert api_get(fresh).status_code == 200
        assert api_get(first).status_code == 401


def test_the_default_lifetime_is_twelve_hours():
    from zhicheng import settings as project_settings

    assert dt.timedelta(hours=12) == project_settings.ZHICHENG_TOKEN_TTL
