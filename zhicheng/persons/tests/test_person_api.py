import pytest
from django.contrib.auth.models import Permission

from zhicheng.accounts.roles import Role
from zhicheng.persons.models import Person
from zhicheng.persons.tests.factories import id_number, make_person

URL = "/api/v1/persons/"


@pytest.fixture
def nj(orgs):
    return make_person("南京张伟", organization=orgs["unit_a"], number=id_number(seq="011"))


@pytest.fixture
def sz(orgs):
    return make_person("苏州刘洋", organization=orgs["unit_f"], number=id_number(seq="013"))


@pytest.fixture
def own(applicant):
    person = make_person("申报人本人", number=id_number(seq="019"))
    Person.objects.filter(pk=person.pk).update(user=applicant)
    return Person.objects.get(pk=person.pk)


def test_unauthenticated_requests_are_refused(api_client, nj):
    assert api_client().get(URL).status_code in (401, 403)
    assert api_client().get(f"{URL}{nj.pk}/").status_code in (401, 403)


def test_city_officer_lists_persons_of_their_subtree(api_client, hr_city, nj, sz):
    body = api_client(hr_city).get(URL).json()
    assert [row["name"] for row in body["results"]] == ["南京张伟"]


def test_out_of_scope_person_is_404(api_client, hr_city, sz):
    response = api_client(hr_city).get(f"{URL}{sz.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在或无权访问"


def test_typeahead_finds_an_out_of_scope_person_by_full_number_only(api_client, hr_city, sz):
    client = api_client(hr_city)
    exact = client.get(URL, {"search": sz.id_number}).json()["results"]
    assert [row["id"] for row in exact] == [sz.pk]
    assert client.get(URL, {"search": sz.id_number[:12]}).json()["results"] == []
    assert client.get(URL, {"search": "刘洋"}).json()["results"] == []


def test_number_is_masked_without_the_full_number_permission(orgs, api_client, make_user, nj):
    officer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    officer.user_permissions.add(Permission.objects.get(codename="view_person"))
    officer = type(officer).objects.get(pk=officer.pk)  # fresh permission cache
    row = api_client(officer).get(f"{URL}{nj.pk}/").json()
    assert row["id_number"] == nj.masked_id_number
    assert row["birth_date"] is None
    assert api_client(make_user(orgs["city_nj"], Role.HR_OFFICER)).get(f"{URL}{nj.pk}/").json()[
        "id_number"
    ] == (nj.id_number)


def test_applicant_reads_own_person_in_full_via_me(api_client, applicant, own, nj):
    client = api_client(applicant)
    me = client.get(f"{URL}me/").json()
    assert me["id"] == own.pk and me["id_number"] == own.id_number
    assert client.get(URL).status_code == 403  # the person list is HR's
    assert client.get(f"{URL}{own.pk}/").status_code == 403
    assert client.get(f"{URL}{nj.pk}/").status_code == 403


@pytest.mark.parametrize(
    "role", [Role.PLAN_REVIEWER, Role.PLAN_REVIEWER_SPECIAL, Role.EMPLOYER_OFFICER, Role.COMMITTEE]
)
def test_only_holders_of_view_person_list_or_search_persons(orgs, api_client, make_user, nj, role):
    client = api_client(make_user(orgs["province"], role))
    for params in ({}, {"search": "张伟"}, {"search": nj.id_number}):
        response = client.get(URL, params)
        assert response.status_code == 403, (role, params)
        assert nj.id_number not in response.content.decode()
    assert client.get(f"{URL}{nj.pk}/").status_code == 403


def test_me_without_a_person_is_404(api_client, hr_city):
    assert api_client(hr_city).get(f"{URL}me/").status_code == 404


def test_hr_marks_a_person_retired(api_client, hr_city, nj):
    response = api_client(hr_city).patch(f"{URL}{nj.pk}/", {"is_retired": True}, format="json")
    assert response.status_code == 200 and response.json()["is_retired"] is True
    nj.refresh_from_db()
    assert nj.is_retired


def test_hr_cannot_change_a_person_outside_their_scope(api_client, hr_city, sz):
    response = api_client(hr_city).patch(f"{URL}{sz.pk}/", {"is_retired": True}, format="json")
    assert response.status_code == 404
    sz.refresh_from_db()
    assert not sz.is_retired


def test_applicant_may_change_own_mobile_but_not_the_retired_flag(api_client, applicant, own):
    client = api_client(applicant)
    ok = client.patch(f"{URL}{own.pk}/", {"mobile": "13900000000"}, format="json")
    assert ok.status_code == 200 and ok.json()["mobile"] == "13900000000"
    refused = client.patch(f"{URL}{own.pk}/", {"is_retired": True}, format="json")
    assert refused.status_code == 403
    own.refresh_from_db()
    assert not own.is_retired and own.user.phone == "13900000000"


def test_bad_mobile_on_update_is_a_chinese_400(api_client, hr_city, nj):
    response = api_client(hr_city).patch(f"{URL}{nj.pk}/", {"mobile": "12"}, format="json")
    assert response.status_code == 400
    assert "手机号应为11位" in response.json()["detail"]
