"""忘记密码 (issue 10 #7): an applicant sets a new password with his 身份证号 and the mobile number
he registered; a mismatch says the same thing whatever was wrong and changes nothing; old API
tokens stop working; attempts per address are limited (429)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from zhicheng.persons.services import PASSWORD_RESET_REFUSED, applicant_register

NUMBER = "11010519491231002X"
URL = "/password-reset/"


@pytest.fixture
def registered(db):
    return applicant_register(
        name="忘密码", id_number=NUMBER, mobile="13900000001", password="Apply@2026pw"
    ).user


def post(client, **overrides):
    data = {
        "id_number": NUMBER,
        "mobile": "13900000001",
        "password1": "New@2026pass",
        "password2": "New@2026pass",
        **overrides,
    }
    return client.post(URL, data)


def test_the_right_number_and_mobile_set_a_new_password(registered):
    token = Token.objects.create(user=registered)
    client = Client()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert 'href="/password-reset/"' in login_page
    response = post(client, id_number=NUMBER.lower())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    registered.refresh_from_db()
    assert registered.check_password("New@2026pass")
    assert not Token.objects.filter(pk=token.pk).exists()
    logged_in = Client().post(
        reverse("accounts:login"), {"username": NUMBER, "password": "New@2026pass"}
    )
    assert logged_in.status_code == 302


@pytest.mark.parametrize(
    "overrides",
    [{"mobile": "13900000002"}, {"id_number": "110105194912310046"}],
)
def test_a_mismatch_changes_nothing_and_tells_nothing(registered, overrides):
    response = post(Client(), **overrides)
    assert response.status_code == 200
    assert PASSWORD_RESET_REFUSED in response.content.decode()
    registered.refresh_from_db()
    assert registered.check_password("Apply@2026pw")


def test_officers_cannot_reset_through_it(orgs, make_user):
    from zhicheng.common.errors import ApplicationError
    from zhicheng.persons.services import applicant_password_reset

    make_user(orgs["unit_a"], "employer_officer", username="t_officer_x", phone="13900000009")
    with pytest.raises(ApplicationError, match="不匹配"):
        applicant_password_reset(id_number=NUMBER, mobile="13900000009", password="New@2026pass")


def test_a_weak_password_is_refused(registered):
    response = post(Client(), password1="12345678", password2="12345678")
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    registered.refresh_from_db()
    assert registered.check_password("Apply@2026pw")


def test_attempts_are_limited_per_address(registered, settings):
    settings.ZHICHENG_RATE_LIMITS = {**settings.ZHICHENG_RATE_LIMITS, "password_reset": "2/hour"}
    client = Client()
    for _ in range(2):
        assert post(client, mobile="13900000002").status_code == 200
    assert post(client).status_code == 429
    registered.refresh_from_db()
    assert registered.check_password("Apply@2026pw")
