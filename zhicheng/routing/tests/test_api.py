"""/api/v1/acceptance-offices/ and /api/v1/review-routes/: scope, permissions, bad input."""

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.routing.models import AcceptanceOffice, RecordStatus, RouteEdge

from .conftest import DEPUTY, INITIAL

OFFICES = "/api/v1/acceptance-offices/"
ROUTES = "/api/v1/review-routes/"


def office_payload(org, **overrides):
    return {
        "node_type": "city_hr",
        "organization": org.pk,
        "level": DEPUTY,
        "acquisition_method": "initial",
        **overrides,
    }


# --- acceptance offices -----------------------------------------------------------------------


def test_an_hr_officer_creates_lists_and_reads_an_office(orgs, hr_city, api_client):
    client = api_client(hr_city)
    created = client.post(OFFICES, office_payload(orgs["city_nj"]), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["organization"]["name"] == orgs["city_nj"].name
    assert body["acquisition_method_display"] == "初定"
    listed = client.get(OFFICES, {"organization": "南京"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert client.get(f"{OFFICES}{body['id']}/").json()["level_display"] == "副高级"


def test_anonymous_requests_are_refused(orgs, api_client, office_city_nj):
    client = api_client()
    assert client.get(OFFICES).status_code == 401
    assert client.get(f"{OFFICES}{office_city_nj.pk}/").status_code == 401
    assert client.post(OFFICES, office_payload(orgs["city_nj"])).status_code == 401
    assert client.post(f"{OFFICES}{office_city_nj.pk}/deregister/").status_code == 401
    assert client.get(ROUTES).status_code == 401


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EMPLOYER_OFFICER, Role.PLAN_REVIEWER])
def test_roles_without_the_permission_are_forbidden(orgs, make_user, api_client, role):
    client = api_client(make_user(orgs["province"], role))
    assert client.get(OFFICES).status_code == 403
    assert client.post(OFFICES, office_payload(orgs["city_nj"]), format="json").status_code == 403
    assert client.get(ROUTES).status_code == 403
    assert not AcceptanceOffice.objects.exists()


def test_an_office_out_of_scope_is_404_for_reading_changing_and_deregistering(
    orgs, hr_province, hr_city, api_client
):
    suzhou = api_client(hr_province).post(OFFICES, office_payload(orgs["city_sz"]), format="json")
    pk = suzhou.json()["id"]
    client = api_client(hr_city)
    assert client.get(f"{OFFICES}{pk}/").status_code == 404
    assert client.patch(f"{OFFICES}{pk}/", {"level": "senior_full"}).status_code == 404
    assert client.post(f"{OFFICES}{pk}/deregister/").status_code == 404
    assert client.get(f"{OFFICES}999999/").status_code == 404
    assert AcceptanceOffice.objects.get(pk=pk).is_active


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"node_type": "boss"}, "node_type", "受理节点类型“boss”无效"),
        ({"level": "master"}, "level", "职称等级“master”无效"),
        ({"acquisition_method": "evaluation"}, "acquisition_method", "取得方式“evaluation”无效"),
        ({"organization": 999999}, "organization", "机构不存在或不在您的管辖范围内"),
        ({"organization": "abc"}, "organization", "机构编号格式不正确"),
    ],
)
def test_bad_office_fields_are_400_in_chinese(
    orgs, hr_province, api_client, overrides, field, message
):
    response = api_client(hr_province).post(
        OFFICES, office_payload(orgs["city_nj"], **overrides), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not AcceptanceOffice.objects.exists()


def test_an_organization_out_of_scope_looks_unknown(orgs, hr_city, api_client):
    response = api_client(hr_city).post(OFFICES, office_payload(orgs["city_sz"]), format="json")
    assert response.status_code == 400
    assert response.json()["organization"] == ["机构不存在或不在您的管辖范围内"]


def test_a_duplicate_office_is_400_with_the_reason(orgs, hr_province, api_client, office_city_nj):
    response = api_client(hr_province).post(OFFICES, office_payload(orgs["city_nj"]), format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == f"{orgs['city_nj'].name} 已是副高级初定的受理机构"
    assert AcceptanceOffice.objects.count() == 1


def test_patch_edits_fields_and_the_notice(orgs, hr_province, api_client, office_city_nj):
    client = api_client(hr_province)
    response = client.patch(
        f"{OFFICES}{office_city_nj.pk}/",
        {"level": "senior_full", "notice": "请携带**原件**"},
        format="json",
    )
    assert response.status_code == 200, response.content
    office_city_nj.refresh_from_db()
    assert (office_city_nj.level, office_city_nj.notice) == ("senior_full", "请携带**原件**")


def test_deregister_then_deregister_again(orgs, hr_province, api_client, office_city_nj):
    client = api_client(hr_province)
    url = f"{OFFICES}{office_city_nj.pk}/deregister/"
    first = client.post(url, {"reason": "撤并"}, format="json")
    assert first.status_code == 200
    assert first.json()["status"] == RecordStatus.DEREGISTERED
    assert first.json()["deregister_reason"] == "撤并"
    assert first.json()["deregistered_by"] == hr_province.username
    second = client.post(url, {}, format="json")
    assert second.status_code == 400
    assert "已注销" in second.json()["detail"]


def test_an_applicant_reads_the_notice_of_the_office_of_its_unit(
    orgs, initial_route, applicant, hr_province, api_client
):
    office = AcceptanceOffice.objects.get()
    api_client(hr_province).patch(
        f"{OFFICES}{office.pk}/", {"notice": "- 身份证\n- <b>学历</b>"}, format="json"
    )
    response = api_client(applicant).get(
        f"{OFFICES}notice/", {"level": DEPUTY, "acquisition_method": "initial"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["office"] == orgs["city_nj"].name
    assert body["notice_html"] == "<ul><li>身份证</li><li>&lt;b&gt;学历&lt;/b&gt;</li></ul>"
    missing = api_client(applicant).get(
        f"{OFFICES}notice/", {"level": "senior_full", "acquisition_method": "initial"}
    )
    assert missing.status_code == 400
    assert "尚未配置正高级初定的受理机构" in missing.json()["detail"]


# --- review routes ----------------------------------------------------------------------------


def edge_payload(orgs, sup, sub, **overrides):
    return {
        "kind": INITIAL,
        "level": DEPUTY,
        "superior": orgs[sup].pk,
        "subordinate": orgs[sub].pk,
        "node_type": "county_hr",
        **overrides,
    }


def test_a_route_link_is_created_listed_by_kind_and_read(orgs, hr_city, api_client, office_city_nj):
    client = api_client(hr_city)
    response = client.post(
        ROUTES,
        {k: v for k, v in edge_payload(orgs, "city_nj", "county_jn").items() if k != "superior"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # Without a superior the officer's own organization is the superior.
    assert body["superior"]["id"] == orgs["city_nj"].pk
    assert body["kind_display"] == "初定"
    assert [r["id"] for r in client.get(ROUTES, {"kind": INITIAL}).json()["results"]] == [
        body["id"]
    ]
    assert client.get(ROUTES, {"kind": "senior"}).json()["results"] == []
    assert client.get(f"{ROUTES}{body['id']}/").status_code == 200


def test_an_unknown_route_kind_in_the_query_is_400(hr_province, api_client):
    response = api_client(hr_province).get(ROUTES, {"kind": "express"})
    assert response.status_code == 400
    assert "审核路径类型“express”无效" in response.json()["detail"]


@pytest.mark.parametrize(
    ("sup", "sub", "overrides", "message"),
    [
        (
            "dept_jn_edu",
            "unit_d",
            {"node_type": "employer"},
            "尚未接入初定 · 副高级审核路径",
        ),
        ("dept_jn_it", "county_jn", {}, "已有上级机构"),
        ("unit_a", "city_nj", {"node_type": "city_hr"}, "会形成循环"),
        ("city_nj", "county_wz", {}, "已是 南京市人力资源和社会保障局 的下级机构"),
        ("city_nj", "dept_wz_it", {"node_type": "employer"}, "不能作为“用人单位”节点"),
        (
            "city_nj",
            "unit_b",
            {"kind": "senior", "level": "intermediate", "node_type": "employer"},
            "高评会审核路径只适用于正高级、副高级职称",
        ),
    ],
)
def test_route_rule_violations_are_400_with_the_reason_and_nothing_changes(
    orgs, hr_province, api_client, initial_route, link, sup, sub, overrides, message
):
    from zhicheng.routing.models import NodeType

    link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_wz"], NodeType.COUNTY_HR)
    before = RouteEdge.objects.count()
    response = api_client(hr_province).post(
        ROUTES, edge_payload(orgs, sup, sub, **overrides), format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert RouteEdge.objects.count() == before


def test_route_links_out_of_scope_are_404(orgs, hr_city, api_client, make_committee, link):
    make_committee(organizer=orgs["organizer_eng"])
    edge = link("senior", DEPUTY, orgs["organizer_eng"], orgs["province"], "province_hr")
    client = api_client(hr_city)
    assert client.get(f"{ROUTES}{edge.pk}/").status_code == 404
    assert client.patch(f"{ROUTES}{edge.pk}/", {"node_type": "other"}).status_code == 404
    assert client.post(f"{ROUTES}{edge.pk}/deregister/").status_code == 404
    assert RouteEdge.objects.get(pk=edge.pk).is_active


def test_route_links_are_edited_and_deregistered(orgs, hr_province, api_client, initial_route):
    client = api_client(hr_province)
    leaf, middle = initial_route[2], initial_route[1]
    edited = client.patch(f"{ROUTES}{leaf.pk}/", {"subordinate": orgs["unit_b"].pk}, format="json")
    assert edited.status_code == 200
    assert edited.json()["subordinate"]["id"] == orgs["unit_b"].pk
    refused = client.post(f"{ROUTES}{middle.pk}/deregister/", {}, format="json")
    assert refused.status_code == 400 and "下级机构" in refused.json()["detail"]
    done = client.post(f"{ROUTES}{leaf.pk}/deregister/", {"reason": "迁出"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "deregistered"


def test_preview_shows_the_chain_or_the_missing_link(orgs, hr_city, api_client, initial_route):
    client = api_client(hr_city)
    params = {"kind": INITIAL, "level": DEPUTY}
    ok = client.get(f"{ROUTES}preview/", {**params, "employer": orgs["unit_a"].pk}).json()
    assert ok["complete"] is True
    assert [n["name"] for n in ok["nodes"]][-1] == orgs["city_nj"].name
    gap = client.get(f"{ROUTES}preview/", {**params, "employer": orgs["unit_b"].pk}).json()
    assert gap["complete"] is False
    assert gap["missing"] == f"{orgs['unit_b'].name} 没有配置上级机构（初定 · 副高级）"


def test_preview_of_an_employer_out_of_scope_is_404_and_bad_params_400(
    orgs, hr_city, api_client, initial_route
):
    client = api_client(hr_city)
    params = {"kind": INITIAL, "level": DEPUTY}
    assert (
        client.get(f"{ROUTES}preview/", {**params, "employer": orgs["unit_f"].pk}).status_code
        == 404
    )
    assert client.get(f"{ROUTES}preview/", {**params, "employer": "x"}).status_code == 404
    missing = client.get(f"{ROUTES}preview/", params)
    assert missing.status_code == 400
    assert missing.json()["detail"] == "请选择用人单位、审核路径和职称等级"
    bad = client.get(f"{ROUTES}preview/", {"kind": "x", "level": DEPUTY, "employer": 1})
    assert bad.status_code == 400
