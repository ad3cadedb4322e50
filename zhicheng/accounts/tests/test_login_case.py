from django.contrib.auth import authenticate

from zhicheng.accounts.roles import Role
from zhicheng.conftest import PASSWORD


def test_login_ignores_the_case_of_the_user_name(orgs, make_user, rf):
    make_user(orgs["unit_a"], Role.APPLICANT, username="11010519491231002X")
    request = rf.post("/login/")
    assert authenticate(request, username="11010519491231002x", password=PASSWORD)
    assert authenticate(request, username="11010519491231002X", password=PASSWORD)
    assert authenticate(request, username="11010519491231002x", password="wrong") is None
