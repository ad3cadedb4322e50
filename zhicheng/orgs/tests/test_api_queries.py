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
