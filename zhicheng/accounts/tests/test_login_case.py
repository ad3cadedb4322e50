from django.contrib.auth import authenticate

from zhicheng.accounts.roles import Role
from zhicheng.conftest import PASSWORD


def test_login_ignores_the_case_of_the_user_name(orgs, make_user, rf):
    make_user(orgs["unit_a"], Role.APPLICANT, username="11010519491231002X")
    request = rf.post("/login/")
    assert authenticate(request, username="11010519491231002x", password=PASSWORD)
    assert authenticate(request, username="11010519491231002X", password=PASSWORD)
    assert authenticate(request, username="11010519491231002x", password="wrong") is None


# --- The lockout counts every spelling of a name as one account (issue 9, point 2) ----------

import pytest  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

SPELLINGS = ["t_hr_city", "T_HR_CITY", "T_hr_city", "t_HR_city", "t_hr_CITY", "T_Hr_CiTy"]


def page_login(username: str, password: str):
    return Client().post("/login/", {"username": username, "password": password})


def api_login(username: str, password: str):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


@pytest.mark.parametrize("login", [page_login, api_login], ids=["page", "api"])
def test_failures_in_one_spelling_lock_every_spelling(hr_city, login):
    for _ in range(5):
        login("T_Hr_City", "wrong-password")
    for spelling in SPELLINGS:
        assert page_login(spelling, PASSWORD).status_code == 429, spelling
        response = api_login(spelling, PASSWORD)
        assert response.status_code == 429, spelling
        assert "token" not in response.json()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["t_hr_city"]


@pytest.mark.parametrize("login", [page_login, api_login], ids=["page", "api"])
def test_rotating_the_case_gives_no_more_than_five_guesses(hr_city, login):
    for spelling in SPELLINGS[:4]:
        assert login(spelling, "wrong-password").status_code in (200, 400), spelling
    assert login(SPELLINGS[4], "wrong-password").status_code == 429
    assert login(SPELLINGS[5], PASSWORD).status_code == 429


def test_an_applicants_id_number_is_locked_whichever_x_is_typed(orgs, make_user):
    make_user(orgs["unit_a"], Role.APPLICANT, username="11010519491231002X")
    for _ in range(5):
        page_login("11010519491231002x", "wrong-password")
    assert page_login("11010519491231002X", PASSWORD).status_code == 429
    assert api_login("11010519491231002X", PASSWORD).status_code == 429
    # Counted under the stored name, so the login log's scope (by user name) still finds it.
    assert AccessAttempt.objects.get().username == "11010519491231002X"


@pytest.mark.parametrize("username", [12345, ["t_hr_city"], {"a": 1}, None])
def test_a_user_name_of_another_json_type_is_a_400_not_a_500(hr_city, username):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_a_json_body_that_is_not_an_object_is_a_400(hr_city):
    response = APIClient().post("/api/v1/auth/token/", ["t_hr_city", PASSWORD], format="json")
    assert response.status_code == 400
