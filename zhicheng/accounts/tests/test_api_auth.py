"""API authentication: token endpoint, ``Authorization: Token …``, lockout, login log, CSRF."""

import datetime as dt

import pytest
from axes.models import AccessFailureLog, AccessLog
from rest_framework.test import APIClient

from zhicheng.accounts.tests.timetravel import travel
from zhicheng.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ORGS_URL = "/api/v1/organizations/"


def obtain_token(client, username, password, ip="127.0.0.1"):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_token_endpoint_returns_a_token_that_authenticates_api_requests(hr_city):
    client = APIClient()
    response = obtain_token(client, "t_hr_city", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(ORGS_URL)
    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_the_same_token_is_returned_on_the_next_login(hr_city):
    first = obtain_token(APIClient(), "t_hr_city", PASSWORD).json()["token"]
    second = obtain_token(APIClient(), "t_hr_city", PASSWORD).json()["token"]
    assert first == second


def test_wrong_password_gets_400_with_a_chinese_detail(hr_city):
    response = obtain_token(APIClient(), "t_hr_city", "wrong-password")
    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码错误"}


def test_missing_fields_get_400_with_chinese_field_errors(hr_city):
    response = APIClient().post(TOKEN_URL, {"username": "t_hr_city"}, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json()["password"][0])


def test_a_request_without_credentials_gets_401_with_a_chinese_detail(orgs):
    response = APIClient().get(ORGS_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert has_chinese(response.json()["detail"])


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token ", "Token a b", "Bearer x"])
def test_a_bad_token_header_gets_401_json(orgs, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ORGS_URL)
    assert response.status_code == 401
    assert has_chinese(response.json()["detail"])


def test_a_deactivated_users_token_stops_working(hr_city):
    token = obtain_token(APIClient(), "t_hr_city", PASSWORD).json()["token"]
    hr_city.is_active = False
    hr_city.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(ORGS_URL).status_code == 401


def test_five_failed_token_requests_lock_the_account_with_a_chinese_json_message(hr_city):
    client = APIClient()
    for _ in range(4):
        assert obtain_token(client, "t_hr_city", "wrong-password").status_code == 400
    response = obtain_token(client, "t_hr_city", "wrong-password")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "账号已锁定10分钟" in response.json()["detail"]

    # The right password does not help while locked…
    response = obtain_token(client, "t_hr_city", PASSWORD)
    assert response.status_code == 429
    assert "token" not in response.json()
    # …and the lock is on the account: the login page refuses it too.
    page = APIClient().post("/login/", {"username": "t_hr_city", "password": PASSWORD})
    assert page.status_code == 429


def test_after_the_cool_off_the_token_endpoint_works_again(hr_city):
    client = APIClient()
    for _ in range(5):
        obtain_token(client, "t_hr_city", "wrong-password")
    with travel(dt.timedelta(minutes=11)):
        response = obtain_token(client, "t_hr_city", PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"]


def test_token_logins_are_in_the_login_log_with_ip(hr_city):
    obtain_token(APIClient(), "t_hr_city", "wrong-password", ip="198.51.100.30")
    obtain_token(APIClient(), "t_hr_city", PASSWORD, ip="198.51.100.31")
    failure = AccessFailureLog.objects.get(username="t_hr_city")
    assert failure.ip_address == "198.51.100.30"
    assert failure.path_info == TOKEN_URL
    success = AccessLog.objects.get(username="t_hr_city")
    assert success.ip_address == "198.51.100.31"
    assert success.path_info == TOKEN_URL


def test_a_token_login_opens_no_session(hr_city):
    from django.contrib.sessions.models import Session

    response = obtain_token(APIClient(), "t_hr_city", PASSWORD)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
    assert AccessLog.objects.get(username="t_hr_city").session_hash == ""


def test_a_token_login_reads_the_account_once(hr_city, django_assert_max_num_queries):
    assert obtain_token(APIClient(), "t_hr_city", PASSWORD).status_code == 200
    # The next login: the lock check, the password check, the login log, the reset of
    # failures, last_login and the token held — no session row, no second lookup of the
    # name's stored spelling, no re-read of the user for the operation log's diff of
    # last_login (which it does not log).
    with django_assert_max_num_queries(10):
        assert obtain_token(APIClient(), "T_HR_CITY", PASSWORD).status_code == 200


def test_session_writes_to_the_api_need_the_csrf_token(hr_city):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(hr_city)
    response = client.post(ORGS_URL, {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert has_chinese(response.json()["detail"])


def test_token_requests_need_no_csrf_token(hr_city, orgs):
    client = APIClient(enforce_csrf_checks=True)
    token = obtain_token(client, "t_hr_city", PASSWORD).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(f"{ORGS_URL}{orgs['unit_k'].pk}/deregister/", format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "deregistered"
