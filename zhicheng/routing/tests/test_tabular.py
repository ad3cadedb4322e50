"""批量导入 and 导出 of acceptance offices and review routes through the shared engine."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhicheng.routing import services
from zhicheng.routing.models import AcceptanceOffice, NodeType, RouteEdge
from zhicheng.routing.resolve import route_resolve

from .conftest import DEPUTY, INITIAL, build_xlsx, read_xlsx

OFFICE_HEADERS = ["受理节点类型*", "机构名称", "统一社会信用代码"]
ROUTE_HEADERS = [
    "上级机构统一社会信用代码",
    "下级节点类型*",
    "下级机构名称",
    "下级机构统一社会信用代码",
]


def post_import(client, url, data: bytes, **params):
    return client.post(
        url, {"file": SimpleUploadedFile("导入.xlsx", data), **params}, format="multipart"
    )


def errors_by_row(body) -> dict[int, str]:
    return {e["row"]: e["message"] for e in body["errors"]}


# --- acceptance offices -----------------------------------------------------------------------


def test_office_import_previews_good_and_bad_rows_and_commits_only_the_good(
    orgs, api_client, hr_city, hr_province
):
    services.acceptance_office_create(
        actor=hr_province,
        organization=orgs["county_jn"],
        node_type="county_hr",
        level=DEPUTY,
        acquisition_method="initial",
    )
    rows = [
        ["市级人社部门", "", orgs["city_nj"].uscc],  # 2: by code
        ["用人单位", orgs["unit_k"].name, ""],  # 3: by exact name
        ["省级部门", orgs["unit_a"].name, ""],  # 4: unknown node type
        ["用人单位", "不存在的单位", ""],  # 5: unknown organization
        ["市级人社部门", "", orgs["city_sz"].uscc],  # 6: out of the city's scope
        ["用人单位", "", orgs["unit_k"].uscc],  # 7: same organization as row 3
        ["县级人社部门", orgs["county_jn"].name, ""],  # 8: already an office
        ["用人单位", orgs["unit_a"].name, orgs["unit_b"].uscc],  # 9: name and code disagree
        ["主管部门", orgs["unit_b"].name, ""],  # 10: node type does not fit
    ]
    client = api_client(hr_city)
    response = post_import(
        client,
        "/api/v1/acceptance-offices/import/",
        build_xlsx(OFFICE_HEADERS, rows),
        level=DEPUTY,
        acquisition_method="initial",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["valid"], body["invalid"]) == (9, 2, 7)
    errors = errors_by_row(body)
    assert "受理节点类型“省级部门”不是可选值" in errors[4]
    assert errors[5] == "未找到名称为“不存在的单位”的机构（或不在您的管辖范围内）"
    assert errors[6].startswith("机构不存在或不在您的管辖范围内")
    assert errors[7] == "与第3行是同一机构"
    assert errors[8] == f"{orgs['county_jn'].name} 已是副高级初定的受理机构"
    assert "与统一社会信用代码不一致" in errors[9]
    assert "不能作为“主管部门”节点" in errors[10]
    assert AcceptanceOffice.objects.count() == 1

    committed = client.post(f"/api/v1/imports/{body['id']}/commit/")
    assert committed.status_code == 200 and committed.json()["created"] == 2
    created = AcceptanceOffice.objects.filter(created_by=hr_city)
    assert {o.organization_id for o in created} == {orgs["city_nj"].pk, orgs["unit_k"].pk}
    assert {(o.level, o.acquisition_method) for o in created} == {(DEPUTY, "initial")}
    assert LogEntry.objects.filter(additional_data__operation="import").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"acquisition_method": "initial"}, "请选择职称等级"),
        ({"level": DEPUTY}, "请选择取得方式"),
        ({"level": DEPUTY, "acquisition_method": "evaluation"}, "取得方式的取值无效"),
    ],
)
def test_office_import_needs_level_and_method_from_the_page(
    orgs, api_client, hr_city, params, message
):
    data = build_xlsx(OFFICE_HEADERS, [["市级人社部门", "", orgs["city_nj"].uscc]])
    response = post_import(
        api_client(hr_city), "/api/v1/acceptance-offices/import/", data, **params
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_a_commit_after_the_data_changed_writes_nothing(orgs, api_client, hr_city):
    client = api_client(hr_city)
    data = build_xlsx(
        OFFICE_HEADERS,
        [["市级人社部门", "", orgs["city_nj"].uscc], ["用人单位", "", orgs["unit_k"].uscc]],
    )
    batch = post_import(
        client,
        "/api/v1/acceptance-offices/import/",
        data,
        level=DEPUTY,
        acquisition_method="initial",
    ).json()
    services.acceptance_office_create(
        actor=hr_city,
        organization=orgs["unit_k"],
        node_type="employer",
        level=DEPUTY,
        acquisition_method="initial",
    )
    response = client.post(f"/api/v1/imports/{batch['id']}/commit/")
    assert response.status_code == 400
    assert "第3行" in response.json()["detail"]
    assert AcceptanceOffice.objects.count() == 1


def test_the_office_import_needs_the_add_permission(orgs, api_client, applicant):
    data = build_xlsx(OFFICE_HEADERS, [["市级人社部门", "", orgs["city_nj"].uscc]])
    response = post_import(
        api_client(applicant),
        "/api/v1/acceptance-offices/import/",
        data,
        level=DEPUTY,
        acquisition_method="initial",
    )
    assert response.status_code == 403


def test_office_export_is_the_scoped_filtered_list(orgs, api_client, hr_city, hr_province):
    for key, level in (("city_nj", DEPUTY), ("city_nj", "senior_full"), ("city_sz", DEPUTY)):
        services.acceptance_office_create(
            actor=hr_province,
            organization=orgs[key],
            node_type="city_hr",
            level=level,
            acquisition_method="initial",
        )
    response = api_client(hr_city).get("/api/v1/acceptance-offices/export/", {"level": DEPUTY})
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))
    assert rows[0][:5] == ["机构名称", "统一社会信用代码", "受理节点类型", "职称等级", "取得方式"]
    assert [r[:5] for r in rows[1:]] == [
        [orgs["city_nj"].name, orgs["city_nj"].uscc, "市级人社部门", "副高级", "初定"]
    ]
    assert LogEntry.objects.filter(additional_data__operation="export").exists()


# --- review routes ----------------------------------------------------------------------------


def test_route_import_builds_a_route_top_down_and_reports_each_violation_by_row(
    orgs, api_client, hr_city, office_city_nj
):
    rows = [
        ["", "县级人社部门", orgs["county_jn"].name, ""],  # 2: under the officer's own city
        [orgs["county_jn"].uscc, "主管部门", "", orgs["dept_jn_it"].uscc],  # 3: uses row 2
        [orgs["dept_jn_it"].uscc, "用人单位", orgs["unit_a"].name, ""],  # 4
        [orgs["unit_a"].uscc, "市级人社部门", "", orgs["city_nj"].uscc],  # 5: cycle
        ["", "主管部门", "", orgs["dept_jn_it"].uscc],  # 6: second superior
        [orgs["dept_jn_edu"].uscc, "用人单位", orgs["unit_d"].name, ""],  # 7: not on the route
        ["", "用人单位", "", orgs["unit_f"].uscc],  # 8: out of scope
        [orgs["unit_c"].uscc, "用人单位", "", orgs["unit_e"].uscc],  # 9: superior not yet on
        [orgs["dept_jn_it"].uscc, "用人单位", orgs["unit_c"].name, ""],  # 10: fine (after 9)
    ]
    client = api_client(hr_city)
    response = post_import(
        client,
        "/api/v1/review-routes/import/",
        build_xlsx(ROUTE_HEADERS, rows),
        kind=INITIAL,
        level=DEPUTY,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["valid"], body["invalid"]) == (4, 5)
    errors = errors_by_row(body)
    assert "会形成循环" in errors[5]
    assert f"已有上级机构 {orgs['county_jn'].name}" in errors[6]
    assert "尚未接入初定 · 副高级审核路径" in errors[7]
    assert errors[8].startswith("下级机构不存在或不在您的管辖范围内")
    assert "尚未接入" in errors[9]
    assert not RouteEdge.objects.exists()

    assert client.post(f"/api/v1/imports/{body['id']}/commit/").json()["created"] == 4
    chain = route_resolve(orgs["unit_a"], INITIAL, DEPUTY)
    assert chain.complete
    assert route_resolve(orgs["unit_c"], INITIAL, DEPUTY).complete


def test_route_import_refuses_a_level_the_route_kind_does_not_serve(orgs, api_client, hr_city):
    data = build_xlsx(ROUTE_HEADERS, [["", "县级人社部门", orgs["county_jn"].name, ""]])
    response = post_import(
        api_client(hr_city), "/api/v1/review-routes/import/", data, kind="senior", level="junior"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "高评会审核路径只适用于正高级、副高级职称"


def test_each_route_page_has_its_own_import_with_the_level_on_the_page(
    orgs, client, hr_city, office_city_nj
):
    client.force_login(hr_city)
    data = build_xlsx(ROUTE_HEADERS, [["", "县级人社部门", orgs["county_jn"].name, ""]])
    response = client.post(
        reverse("tabular:upload", args=["review-routes-initial"]),
        {"file": SimpleUploadedFile("路径.xlsx", data), "level": DEPUTY},
    )
    assert response.status_code in (200, 302)
    from zhicheng.tabular.models import ImportBatch

    batch = ImportBatch.objects.get()
    assert (batch.key, batch.valid_count, batch.params) == (
        "review-routes-initial",
        1,
        {"level": DEPUTY},
    )


def test_route_export_follows_the_page_filters_and_scope(
    orgs, client, hr_city, initial_route, make_committee, link
):
    make_committee(organizer=orgs["organizer_eng"])
    link("senior", DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)
    client.force_login(hr_city)
    url = reverse("tabular:export", args=["review-routes-initial"])
    response = client.post(url, {"superior": orgs["county_jn"].pk})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = read_xlsx(content)
    assert [(r[2], r[5]) for r in rows[1:]] == [(orgs["county_jn"].name, orgs["dept_jn_it"].name)]
    everything = client.post(reverse("tabular:export", args=["review-routes"]))
    body = b"".join(everything.streaming_content) if everything.streaming else everything.content
    # The city sees its three 初定 links, not the province's 高评会 link.
    assert len(read_xlsx(body)) == 1 + 3


def test_the_route_page_exports_the_default_institution(orgs, client, hr_city, initial_route):
    client.force_login(hr_city)
    page = client.get(reverse("routing:route-list-initial")).content.decode()
    assert f"superior={orgs['city_nj'].pk}" in page
    assert reverse("tabular:export", args=["review-routes-initial"]) in page
