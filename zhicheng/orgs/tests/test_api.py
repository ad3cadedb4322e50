"""/api/v1/organizations/: scope, authentication, the typeahead, and crafted bad input."""

import json

import pytest
from rest_framework.test import APIClient

from zhicheng.orgs import services
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization, OrgType

URL = "/api/v1/organizations/"


def has_chinese(value) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in str(value))


def detail_url(org) -> str:
    return f"{URL}{org.pk}/"


def search(client, term, **params):
    response = client.get(URL, {"search": term, **params})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def city(hr_city, api_client):
    return api_client(hr_city)


@pytest.fixture
def province(hr_province, api_client):
    return api_client(hr_province)


# --- Scope and authentication ------------------------------------------------------------------


def test_the_list_holds_exactly_the_officers_subtree(city, orgs):
    response = city.get(URL, {"page_size": 100})
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    subtree = set(
        Organization.objects.filter(path__startswith=orgs["city_nj"].path).values_list(
            "name", flat=True
        )
    )
    assert names == subtree
    assert orgs["province"].name not in names
    assert orgs["unit_f"].name not in names


def test_an_organization_in_scope_can_be_read(city, orgs):
    response = city.get(detail_url(orgs["unit_a"]))
    assert response.status_code == 200
    body = response.json()
    assert body["uscc"] == orgs["unit_a"].uscc
    assert body["parent_id"] == orgs["dept_jn_it"].pk
    assert body["org_type_display"] == "用人单位"


@pytest.mark.parametrize("key", ["province", "city_sz", "unit_f"])
def test_an_organization_out_of_scope_is_a_404_like_a_missing_one(city, orgs, key):
    out_of_scope = city.get(detail_url(orgs[key]))
    missing = city.get(f"{URL}999999/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_changing_or_deregistering_out_of_scope_is_a_404(city, orgs):
    target = orgs["unit_f"]
    assert city.patch(detail_url(target), {"name": "改名"}, format="json").status_code == 404
    assert city.post(f"{detail_url(target)}deregister/").status_code == 404
    target.refresh_from_db()
    assert target.name == "苏州吴中精密机械有限公司"
    assert target.is_active


def test_deregistering_in_scope_works_and_shows_the_new_status(city, orgs):
    response = city.post(f"{detail_url(orgs['unit_k'])}deregister/")
    assert response.status_code == 200
    assert response.json()["status_display"] == "已注销"


@pytest.mark.parametrize(
    "method, path",
    [("get", ""), ("get", "{pk}/"), ("post", ""), ("patch", "{pk}/"), ("post", "{pk}/deregister/")],
)
def test_unauthenticated_requests_get_401_with_a_chinese_detail(orgs, method, path):
    url = URL + path.format(pk=orgs["unit_a"].pk)
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert has_chinese(response.json()["detail"])


def test_a_user_without_the_permission_gets_403(applicant, api_client, orgs):
    client = api_client(applicant)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"search": "南京"}).status_code == 403
    assert client.get(detail_url(orgs["unit_a"])).status_code == 403


def test_a_read_only_role_cannot_create(orgs, make_user, api_client):
    from zhicheng.accounts.roles import Role

    reviewer = make_user(orgs["province"], Role.PLAN_REVIEWER)
    response = api_client(reviewer).post(
        URL,
        {
            "parent": orgs["dept_jn_it"].pk,
            "name": "新企业",
            "uscc": demo_uscc("91", "320115", "MA1Q1W2E3"),
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
        format="json",
    )
    assert response.status_code == 403


# --- Typeahead ---------------------------------------------------------------------------------


def test_typeahead_matches_a_name_substring(city):
    assert search(city, "智能装备") == ["南京江宁智能装备有限公司"]


def test_typeahead_matches_a_uscc_prefix(city, orgs):
    uscc = orgs["unit_b"].uscc
    assert orgs["unit_b"].name in search(city, uscc[:12])
    assert search(city, uscc) == [orgs["unit_b"].name]
    assert search(city, uscc.lower()) == [orgs["unit_b"].name]


def test_typeahead_matches_pinyin_initials(city, province):
    # 人力资源 → rlzy: every HR bureau in scope, and nothing else.
    assert set(search(city, "rlzy")) == {
        "南京市人力资源和社会保障局",
        "南京市江宁区人力资源和社会保障局",
    }
    assert len(search(province, "rlzy")) == 5
    assert set(search(province, "RLZY")) == set(search(province, "rlzy"))


def test_typeahead_is_scoped(city, province):
    assert search(city, "吴中") == []
    assert search(city, "szs") == []  # 苏州市… initials
    assert "苏州吴中精密机械有限公司" in search(province, "吴中")


def test_typeahead_returns_at_most_twenty(city, hr_city, orgs):
    parent = orgs["dept_jn_it"]
    for n in range(25):
        services.organization_create(
            actor=hr_city,
            parent=parent,
            name=f"江宁联调测试企业{n:02d}有限公司",
            uscc=demo_uscc("91", "320115", f"MA1T{n:02d}X9Y"),
            org_type=OrgType.EMPLOYER,
            region_code="320115",
        )
    found = search(city, "联调测试企业")
    assert len(found) == 20
    assert all("联调测试企业" in name for name in found)


def test_typeahead_leaves_out_deregistered_organizations(city, hr_city, orgs):
    services.organization_deregister(actor=hr_city, organization=orgs["unit_k"])
    assert search(city, "城市建设设计") == []
    assert search(city, "城市建设设计", include_deregistered="1") == ["南京市城市建设设计研究院"]


@pytest.mark.parametrize("term", ["", "   ", "%", "_", "'", "\\", "a" * 300, "江宁%'; --"])
def test_typeahead_survives_odd_terms(city, term):
    response = city.get(URL, {"search": term})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_wildcards_in_the_term_are_matched_literally(city):
    assert search(city, "%") == []
    assert search(city, "_") == []


# --- Crafted bad input never 500s ----------------------------------------------------------


def valid_payload(orgs) -> dict:
    return {
        "parent": orgs["dept_jn_it"].pk,
        "name": "南京江宁测试新企业有限公司",
        "uscc": demo_uscc("91", "320115", "MA1Q9Y8X7"),
        "org_type": OrgType.EMPLOYER,
        "region_code": "320115",
    }


def test_a_valid_organization_is_created_under_a_parent_in_scope(city, orgs):
    payload = valid_payload(orgs)
    payload["uscc"] = payload["uscc"].lower()
    response = city.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == payload["uscc"].upper()
    assert body["parent_id"] == orgs["dept_jn_it"].pk
    assert body["status"] == "active"


def _bad_check_char(uscc: str) -> str:
    return uscc[:17] + ("0" if uscc[17] != "0" else "1")


BAD_INPUTS = {
    "invalid USCC check character": lambda o: {"uscc": _bad_check_char(valid_payload(o)["uscc"])},
    "USCC too short": lambda o: {"uscc": "91320115MA1"},
    "USCC too long": lambda o: {"uscc": valid_payload(o)["uscc"] + "0"},
    "USCC with illegal letters": lambda o: {"uscc": "91320115MA1OIZSV0Q"},
    "USCC of non-ASCII": lambda o: {"uscc": "九一三二〇一一五MA1Q9Y8X7A"},
    "duplicate USCC": lambda o: {"uscc": o["unit_a"].uscc},
    "duplicate USCC in lower case": lambda o: {"uscc": o["unit_a"].uscc.lower()},
    "unknown parent": lambda o: {"parent": 999999},
    "non-numeric parent": lambda o: {"parent": "abc"},
    "parent as a list": lambda o: {"parent": [o["dept_jn_it"].pk]},
    "parent as an object": lambda o: {"parent": {"id": o["dept_jn_it"].pk}},
    "out-of-scope parent": lambda o: {"parent": o["unit_f"].pk},
    "no parent (top level) for an officer": lambda o: {"parent": None},
    "missing name": lambda o: {"name": None},
    "blank name": lambda o: {"name": "   "},
    "name too long": lambda o: {"name": "机" * 201},
    "unknown org type": lambda o: {"org_type": "bank"},
    "region code of letters": lambda o: {"region_code": "abcdef"},
    "region code too long": lambda o: {"region_code": "3201150"},
    "numeric name and code types": lambda o: {"name": 12345, "uscc": 913201150000000000},
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_crafted_bad_input_is_a_400_in_chinese_and_creates_nothing(city, orgs, case):
    payload = {**valid_payload(orgs), **BAD_INPUTS[case](orgs)}
    before = Organization.objects.count()
    response = city.post(URL, payload, format="json")
    assert response.status_code == 400, (case, response.status_code)
    assert has_chinese(response.json()), response.json()
    assert Organization.objects.count() == before


def test_creating_under_a_deregistered_parent_is_refused(city, hr_city, orgs):
    services.organization_deregister(actor=hr_city, organization=orgs["unit_k"])
    payload = {**valid_payload(orgs), "parent": orgs["unit_k"].pk}
    response = city.post(URL, payload, format="json")
    assert response.status_code == 400
    assert "已注销" in response.json()["detail"]


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "42", "null", '{"name": "\\ud800"}'])
def test_json_bodies_of_the_wrong_shape_are_400(city, body):
    response = city.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert has_chinese(response.json())


@pytest.mark.parametrize("pk", ["abc", "1e3", "0x10", "9" * 30])
def test_non_numeric_or_huge_ids_are_404(city, pk):
    for response in (
        city.get(f"{URL}{pk}/"),
        city.patch(f"{URL}{pk}/", {"name": "x"}, format="json"),
        city.post(f"{URL}{pk}/deregister/"),
    ):
        assert response.status_code == 404
        assert has_chinese(response.json()["detail"])


@pytest.mark.parametrize(
    "change",
    [{"uscc": "123"}, {"region_code": "x"}, {"org_type": "nope"}, {"name": ""}, {"name": None}],
)
def test_bad_updates_are_400(city, orgs, change):
    response = city.patch(detail_url(orgs["unit_a"]), change, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json())
    orgs["unit_a"].refresh_from_db()
    assert orgs["unit_a"].name == "南京江宁智能装备有限公司"


def test_a_list_filter_of_nonsense_is_not_a_500(city):
    for params in ({"org_type": "x"}, {"status": "zzz"}, {"page": "abc"}, {"page": "99999"}):
        response = city.get(URL, params)
        # a malformed page is 400 (issue 9), a page past the last 404
        assert response.status_code in (200, 400, 404), params
        assert response["Content-Type"].startswith("application/json")
    assert city.get(URL, {"page": "abc"}).status_code == 400


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91320115MA1", "统一社会信用代码应为18位，当前为11位"),
        ("91320115MA1OIZSV0Q", "统一社会信用代码含有非法字符：OIZS"),
    ],
)
def test_an_invalid_uscc_is_reported_once(city, orgs, code, message):
    response = city.post(URL, {**valid_payload(orgs), "uscc": code}, format="json")
    assert response.status_code == 400
    assert json.dumps(response.json(), ensure_ascii=False).count(message) == 1, response.json()
