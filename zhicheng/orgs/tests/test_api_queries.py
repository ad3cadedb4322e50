"""The organization API answers a page with a fixed number of queries, whatever its size."""


def test_typeahead_and_list_do_not_query_per_row(
    orgs, hr_province, api_client, django_assert_max_num_queries
):
    client = api_client(hr_province)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/organizations/", {"search": "南京"})
    results = response.json()["results"]
    assert len(results) >= 5
    by_name = {r["name"]: r for r in results}
    assert by_name["南京江宁智能装备有限公司"]["parent_id"] == orgs["dept_jn_it"].pk
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/organizations/")
    assert response.json()["count"] >= 20
    root = next(r for r in response.json()["results"] if r["name"] == orgs["province"].name)
    assert root["parent_id"] is None


def test_detail_reports_the_parent(orgs, hr_province, api_client):
    response = api_client(hr_province).get(f"/api/v1/organizations/{orgs['city_nj'].pk}/")
    assert response.json()["parent_id"] == orgs["province"].pk


def test_unknown_and_out_of_scope_parents_read_alike(orgs, hr_city, api_client):
    client = api_client(hr_city)
    body = {"name": "新机构", "uscc": "91320115MA1MXK2A3X", "org_type": "employer"}
    body["region_code"] = "320115"
    outside = client.post("/api/v1/organizations/", {**body, "parent": orgs["city_sz"].pk})
    unknown = client.post("/api/v1/organizations/", {**body, "parent": 987654})
    assert outside.status_code == unknown.status_code == 400
    assert outside.json() == unknown.json()
    assert "不在管辖范围内" in str(outside.json())
