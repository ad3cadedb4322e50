import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from zhicheng.accounts.roles import Role
from zhicheng.blacklist.models import BlacklistEntry, BlacklistStatus, add_years
from zhicheng.persons.models import Person
from zhicheng.persons.tests.factories import id_number, with_bad_check_char

URL = "/api/v1/blacklist/"


def payload(**overrides) -> dict:
    return {
        "reason": "false_materials",
        "document_number": "苏人社职〔2026〕7号",
        "start_date": "2026-01-01",
        **overrides,
    }


@pytest.fixture
def province_entry(hr_province, sz_person, list_entry):
    return list_entry(hr_province, sz_person)


@pytest.fixture
def city_entry(hr_city, nj_person, list_entry):
    return list_entry(hr_city, nj_person, document_number="宁人社职〔2026〕8号")


# --- read -------------------------------------------------------------------------------


def test_unauthenticated_requests_are_refused(api_client, city_entry):
    client = api_client()
    assert client.get(URL).status_code in (401, 403)
    assert client.get(f"{URL}{city_entry.pk}/").status_code in (401, 403)
    assert client.post(URL, payload(person=city_entry.person_id)).status_code in (401, 403)
    assert client.post(f"{URL}{city_entry.pk}/lift/", {"reason": "x"}).status_code in (401, 403)


def test_city_lists_its_entries_only(api_client, hr_city, city_entry, province_entry):
    body = api_client(hr_city).get(URL).json()
    assert [row["id"] for row in body["results"]] == [city_entry.pk]
    row = body["results"][0]
    assert row["person_name"] == "王强" and row["state"] == "in_force"
    assert row["state_display"] == "生效中" and row["reason_display"] == "提供虚假材料"
    assert row["organization_name"] == "南京市人力资源和社会保障局"
    assert row["lifted_by_name"] is None and row["created_by_name"] == "t_hr_city"


def test_out_of_scope_entry_is_404_for_read_update_and_lift(api_client, hr_city, province_entry):
    client = api_client(hr_city)
    assert client.get(f"{URL}{province_entry.pk}/").status_code == 404
    assert (
        client.patch(f"{URL}{province_entry.pk}/", {"notes": "x"}, format="json").status_code == 404
    )
    assert (
        client.post(f"{URL}{province_entry.pk}/lift/", {"reason": "x"}, format="json").status_code
        == 404
    )
    province_entry.refresh_from_db()
    assert province_entry.status == BlacklistStatus.ACTIVE and province_entry.notes == ""


def test_applicant_and_employer_officer_are_forbidden(api_client, applicant, orgs, make_user):
    assert api_client(applicant).get(URL).status_code == 403
    employer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    assert api_client(employer).get(URL).status_code == 403
    assert api_client(employer).post(URL, payload(), format="json").status_code == 403


def test_filters_reach_the_list_and_bad_filters_are_a_400(
    api_client, hr_province, city_entry, province_entry
):
    client = api_client(hr_province)
    assert [r["id"] for r in client.get(URL, {"name": "刘"}).json()["results"]] == [
        province_entry.pk
    ]
    assert client.get(URL, {"state": "lifted"}).json()["results"] == []
    bad_state = client.get(URL, {"state": "gone"})
    assert bad_state.status_code == 400 and "state" in bad_state.json()["detail"]
    assert client.get(URL, {"start_from": "2026-13-01"}).status_code == 400


def test_number_is_masked_without_the_full_number_permission(
    orgs, api_client, make_user, city_entry
):
    viewer = make_user(orgs["city_nj"], Role.EMPLOYER_OFFICER)
    viewer.user_permissions.add(Permission.objects.get(codename="view_blacklistentry"))
    row = api_client(viewer).get(f"{URL}{city_entry.pk}/").json()
    assert row["id_number"] == city_entry.person.masked_id_number
    assert "*" in row["id_number"]


# --- create -----------------------------------------------------------------------------


def test_create_for_a_person_in_scope(api_client, hr_city, nj_person):
    response = api_client(hr_city).post(URL, payload(person=nj_person.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == nj_person.pk
    assert body["end_date"] == add_years(dt.date(2026, 1, 1), 3).isoformat()
    assert body["organization_name"] == "南京市人力资源和社会保障局"


def test_create_for_an_out_of_scope_person_by_full_number(api_client, hr_city, sz_person):
    data = payload(id_number=sz_person.id_number, name="刘洋")
    response = api_client(hr_city).post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["person"] == sz_person.pk


def test_create_for_a_new_person_registers_them(api_client, hr_city):
    number = id_number(seq="091")
    response = api_client(hr_city).post(
        URL, payload(id_number=number, name="新人员"), format="json"
    )
    assert response.status_code == 201
    assert Person.objects.get(id_number=number).name == "新人员"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (payload(start_date="2026-05-01", end_date="2026-04-30"), "不能早于开始日期"),
        (payload(id_number="320115198813320001", name="甲"), "身份证号出生日期无效"),
        (payload(), "请选择人员"),
        (payload(id_number=id_number(seq="093")), "请填写姓名"),
    ],
)
def test_bad_create_input_is_a_chinese_400_and_changes_nothing(
    api_client, hr_city, nj_person, data, message
):
    if "id_number" not in data and "请选择人员" not in message:
        data["person"] = nj_person.pk
    persons_before = Person.objects.count()
    response = api_client(hr_city).post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not BlacklistEntry.objects.exists()
    assert Person.objects.count() == persons_before


def test_invalid_number_check_character_message(api_client, hr_city):
    bad = with_bad_check_char(id_number())
    response = api_client(hr_city).post(URL, payload(id_number=bad, name="甲"), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "身份证号校验位错误"


def test_unknown_or_out_of_scope_person_id_is_a_400(api_client, hr_city, sz_person):
    client = api_client(hr_city)
    for pk in (999_999, sz_person.pk):
        response = client.post(URL, payload(person=pk), format="json")
        assert response.status_code == 400
        assert "人员不存在或不在管辖范围内" in response.json()["detail"]
    assert not BlacklistEntry.objects.exists()


def test_missing_and_malformed_fields_are_field_errors(api_client, hr_city, nj_person):
    response = api_client(hr_city).post(
        URL, {"person": nj_person.pk, "reason": "bogus", "start_date": "tomorrow"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert {"reason", "start_date", "document_number"} <= set(body)
    assert not BlacklistEntry.objects.exists()


# --- update and lift --------------------------------------------------------------------


def test_partial_update(api_client, hr_city, city_entry):
    response = api_client(hr_city).patch(
        f"{URL}{city_entry.pk}/", {"notes": "补充", "reason": "other"}, format="json"
    )
    assert response.status_code == 200
    city_entry.refresh_from_db()
    assert (city_entry.notes, city_entry.reason) == ("补充", "other")


def test_update_with_end_before_start_is_a_400(api_client, hr_city, city_entry):
    before = city_entry.end_date
    response = api_client(hr_city).patch(
        f"{URL}{city_entry.pk}/", {"end_date": "2000-01-01"}, format="json"
    )
    assert response.status_code == 400 and "不能早于开始日期" in response.json()["detail"]
    city_entry.refresh_from_db()
    assert city_entry.end_date == before


def test_lift_then_lift_again(api_client, hr_city, city_entry):
    client = api_client(hr_city)
    ok = client.post(f"{URL}{city_entry.pk}/lift/", {"reason": "复核撤销"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["state_display"] == "已解除" and ok.json()["lift_reason"] == "复核撤销"
    again = client.post(f"{URL}{city_entry.pk}/lift/", {"reason": "再次"}, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "该黑名单记录已解除，不能重复解除"
    city_entry.refresh_from_db()
    assert city_entry.lift_reason == "复核撤销"


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_lift_without_a_reason_is_a_400(api_client, hr_city, city_entry, data):
    response = api_client(hr_city).post(f"{URL}{city_entry.pk}/lift/", data, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写解除原因"
    city_entry.refresh_from_db()
    assert city_entry.status == BlacklistStatus.ACTIVE


def test_delete_is_not_offered(api_client, hr_province, city_entry):
    response = api_client(hr_province).delete(f"{URL}{city_entry.pk}/")
    assert response.status_code in (403, 405)
    assert BlacklistEntry.objects.filter(pk=city_entry.pk).exists()
