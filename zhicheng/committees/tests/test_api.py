import datetime as dt

import pytest
from rest_framework.test import APIClient

from zhicheng.accounts.models import User
from zhicheng.committees import services
from zhicheng.committees.models import Committee, CommitteeStatus, FeeItem, FeeStandard

pytestmark = pytest.mark.django_db

URL = "/api/v1/committees/"


def detail(committee, suffix=""):
    return f"{URL}{committee.pk}/{suffix}"


@pytest.fixture
def payload(series_eng, today):
    return {
        "name": "江苏省电子信息高级职称评审委员会",
        "level": "senior",
        "series": series_eng.pk,
        "account": "pwh_dzxx",
        "approval_number": "苏人社职〔2026〕21号",
        "valid_from": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=1000)).isoformat(),
    }


# --- authentication and permissions --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", URL), ("post", URL), ("get", f"{URL}1/"), ("post", f"{URL}1/deregister/"),
     ("get", f"{URL}1/fees/"), ("post", f"{URL}1/specialties/")],
)  # fmt: skip
def test_unauthenticated_requests_are_refused(db, method, path):
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code in (401, 403)


def test_applicants_and_employers_may_not_list_committees(
    api_client, applicant, employer_officer, province_committee
):
    for user in (applicant, employer_officer):
        assert api_client(user).get(URL).status_code == 403
        assert api_client(user).get(detail(province_committee)).status_code == 403


def test_a_plan_reviewer_may_read_but_not_create(api_client, plan_reviewer, payload):
    client = api_client(plan_reviewer)
    assert client.get(URL).status_code == 200
    response = client.post(URL, payload, format="json")
    assert response.status_code == 403
    assert not Committee.objects.exists()


# --- 新增 -----------------------------------------------------------------------------------


def test_create_returns_the_initial_password_once(api_client, hr_province, payload):
    response = api_client(hr_province).post(URL, payload, format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["account"] == "pwh_dzxx"
    assert body["status"] == CommitteeStatus.ACTIVE
    assert body["is_accepting_work"] is True
    user = User.objects.get(username="pwh_dzxx")
    assert user.check_password(body["initial_password"])
    assert user.must_change_password
    again = api_client(hr_province).get(f"{URL}{body['id']}/").json()
    assert "initial_password" not in again


def test_a_duplicate_account_is_a_chinese_400_and_nothing_is_created(
    api_client, hr_province, hr_city, payload
):
    payload["account"] = hr_city.username
    response = api_client(hr_province).post(URL, payload, format="json")
    assert response.status_code == 400
    assert "已被使用" in response.json()["detail"]
    assert not Committee.objects.exists()


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"valid_until": "2099-01-01"}, "有效期最长3年"),
        ({"level": "expert"}, "不是合法选项"),
        ({"series": 999999}, "对象不存在"),
        ({"name": ""}, "不能为空"),
        ({"valid_from": "昨天"}, "日期格式错误"),
        ({"organization": 999999}, "管理机构不存在或不在您的管辖范围内"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_is_created(
    api_client, hr_province, payload, change, text
):
    payload.update(change)
    response = api_client(hr_province).post(URL, payload, format="json")
    assert response.status_code == 400
    assert text in str(response.json())
    assert not Committee.objects.exists()
    assert not User.objects.filter(username="pwh_dzxx").exists()


# --- reading: list, detail, scope ------------------------------------------------------------


def test_list_shows_managed_and_superior_committees_with_filters(
    api_client, hr_city, province_committee, city_committee
):
    client = api_client(hr_city)
    names = {c["name"] for c in client.get(URL).json()["results"]}
    assert names == {province_committee.name, city_committee.name}
    managed = {c["name"] for c in client.get(URL, {"managed": "1"}).json()["results"]}
    assert managed == {city_committee.name}
    senior = client.get(URL, {"level": "senior"}).json()["results"]
    assert [c["name"] for c in senior] == [province_committee.name]


def test_detail_carries_the_other_information(
    api_client, hr_province, province_committee, specialties, orgs
):
    services.committee_specialty_add(
        actor=hr_province, committee=province_committee, specialty=specialties["mech"]
    )
    services.committee_organizer_add(
        actor=hr_province, committee=province_committee, organization=orgs["organizer_eng"]
    )
    services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    body = api_client(hr_province).get(detail(province_committee)).json()
    assert [s["code"] for s in body["specialties"]] == ["T0802"]
    assert [o["name"] for o in body["organizers"]] == [orgs["organizer_eng"].name]
    assert [(f["item_display"], f["amount"]) for f in body["fees"]] == [("评审费", "300.00")]


def test_out_of_scope_and_missing_committees_are_404(api_client, hr_suzhou, city_committee):
    client = api_client(hr_suzhou)
    assert client.get(detail(city_committee)).status_code == 404
    assert client.get(f"{URL}999999/").status_code == 404
    assert client.get(detail(city_committee, "fees/")).status_code == 404
    assert city_committee.name not in str(client.get(URL).json())


def test_a_committee_account_reads_only_its_own_committee(
    api_client, province_committee, city_committee
):
    client = api_client(province_committee.account)
    assert [c["id"] for c in client.get(URL).json()["results"]] == [province_committee.pk]
    assert client.get(detail(city_committee)).status_code == 404
    assert client.get(detail(province_committee, "fees/")).status_code == 200
    response = client.post(
        detail(province_committee, "fees/"), {"item": "review", "amount": "1"}, format="json"
    )
    assert response.status_code == 403


# --- 修改 / 注销 -----------------------------------------------------------------------------


def test_patch_edits_a_managed_committee(api_client, hr_city, city_committee):
    response = api_client(hr_city).patch(
        detail(city_committee), {"approval_number": "宁人社〔2026〕9号"}, format="json"
    )
    assert response.status_code == 200
    city_committee.refresh_from_db()
    assert city_committee.approval_number == "宁人社〔2026〕9号"


def test_a_city_may_read_but_not_edit_or_deregister_a_province_committee(
    api_client, hr_city, province_committee
):
    client = api_client(hr_city)
    assert client.get(detail(province_committee)).status_code == 200
    response = client.patch(detail(province_committee), {"name": "改"}, format="json")
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]
    response = client.post(detail(province_committee, "deregister/"), {"reason": "x"})
    assert response.status_code == 403
    province_committee.refresh_from_db()
    assert province_committee.name == "省工程高评会" and province_committee.is_active


def test_a_sibling_city_gets_404_for_writes(api_client, hr_suzhou, city_committee):
    client = api_client(hr_suzhou)
    assert client.patch(detail(city_committee), {"name": "x"}, format="json").status_code == 404
    response = client.post(detail(city_committee, "deregister/"), {"reason": "x"})
    assert response.status_code == 404


def test_deregister_needs_a_reason_and_then_disables_the_account(
    api_client, hr_province, province_committee
):
    client = api_client(hr_province)
    response = client.post(detail(province_committee, "deregister/"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请填写注销原因"
    assert Committee.objects.get(pk=province_committee.pk).is_active
    response = client.post(
        detail(province_committee, "deregister/"), {"reason": "任期届满"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["deregister_reason"]) == ("deregistered", "任期届满")
    assert body["deregistered_by"] == hr_province.username
    assert not User.objects.get(pk=province_committee.account_id).is_active
    again = client.post(detail(province_committee, "deregister/"), {"reason": "再"})
    assert again.status_code == 400 and "已注销" in again.json()["detail"]


def test_a_deregistered_committees_token_no_longer_works(
    api_client, hr_province, province_committee
):
    from rest_framework.authtoken.models import Token

    from zhicheng.accounts.services import user_password_changed

    account = province_committee.account
    token = Token.objects.create(user=account)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    forced = client.get(URL)
    assert forced.status_code == 403  # the default password must be changed first
    user_password_changed(user=account)
    assert client.get(URL).status_code == 401  # taken with the old password: revoked
    token = Token.objects.create(user=account)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(URL).status_code == 200
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="撤")
    assert client.get(URL).status_code in (401, 403)


# --- 其他信息 ---------------------------------------------------------------------------------


def test_specialties_are_added_listed_changed_and_removed(
    api_client, hr_province, province_committee, specialties
):
    client = api_client(hr_province)
    url = detail(province_committee, "specialties/")
    created = client.post(url, {"specialty": specialties["mech"].pk}, format="json")
    assert created.status_code == 201
    link_id = created.json()["id"]
    dup = client.post(url, {"specialty": specialties["mech"].pk}, format="json")
    assert dup.status_code == 400 and "已添加" in dup.json()["detail"]
    category = client.post(url, {"specialty": specialties["category"].pk}, format="json")
    assert category.status_code == 400 and "栏目大类" in category.json()["detail"]
    changed = client.patch(f"{url}{link_id}/", {"specialty": specialties["elec"].pk})
    assert changed.status_code == 200 and changed.json()["code"] == "T0808"
    assert [s["code"] for s in client.get(url).json()["results"]] == ["T0808"]
    assert client.delete(f"{url}{link_id}/").status_code == 204
    assert client.get(url).json()["results"] == []
    assert client.delete(f"{url}{link_id}/").status_code == 404


def test_organizers_are_added_by_id_within_scope(api_client, hr_city, city_committee, orgs):
    client = api_client(hr_city)
    url = detail(city_committee, "organizers/")
    ok = client.post(url, {"organization": orgs["unit_k"].pk}, format="json")
    assert ok.status_code == 201 and ok.json()["uscc"] == orgs["unit_k"].uscc
    outside = client.post(url, {"organization": orgs["organizer_eng"].pk}, format="json")
    missing = client.post(url, {"organization": 999999}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["detail"] == missing.json()["detail"]
    assert [o["name"] for o in client.get(url).json()["results"]] == [orgs["unit_k"].name]


@pytest.mark.parametrize("amount", ["-100", "0", "12.345", "abc"])
def test_a_bad_fee_is_a_chinese_400_and_nothing_is_saved(
    api_client, hr_province, province_committee, amount
):
    response = api_client(hr_province).post(
        detail(province_committee, "fees/"), {"item": "review", "amount": amount}, format="json"
    )
    assert response.status_code == 400
    assert "缴费金额" in response.json()["detail"]
    assert not FeeStandard.objects.exists()


def test_fees_are_added_changed_and_deleted(api_client, hr_province, province_committee):
    client = api_client(hr_province)
    url = detail(province_committee, "fees/")
    fee = client.post(url, {"item": "review", "amount": "350.5"}, format="json").json()
    assert fee["amount"] == "350.50"
    client.post(url, {"item": "material", "amount": 20}, format="json")
    changed = client.patch(f"{url}{fee['id']}/", {"amount": "400"}, format="json")
    assert changed.status_code == 200 and changed.json()["amount"] == "400.00"
    assert client.delete(f"{url}{fee['id']}/").status_code == 204
    assert [f["item"] for f in client.get(url).json()["results"]] == ["material"]


def test_other_information_of_a_deregistered_committee_cannot_change(
    api_client, hr_province, province_committee
):
    services.committee_deregister(actor=hr_province, committee=province_committee, reason="撤")
    response = api_client(hr_province).post(
        detail(province_committee, "fees/"), {"item": "review", "amount": "1"}, format="json"
    )
    assert response.status_code == 400
    assert "已注销" in response.json()["detail"]
