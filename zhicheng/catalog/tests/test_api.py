"""/api/v1/specialties/, /api/v1/title-series/, /api/v1/titles/."""

import pytest

from zhicheng.catalog.models import Specialty, Title, TitleSeries

SPECIALTIES = "/api/v1/specialties/"
SERIES = "/api/v1/title-series/"
TITLES = "/api/v1/titles/"


@pytest.mark.parametrize("url", [SPECIALTIES, SERIES, TITLES])
def test_unauthenticated_requests_are_refused(db, api_client, url):
    assert api_client().get(url).status_code in (401, 403)
    assert api_client().post(url, {}, format="json").status_code in (401, 403)


def test_every_signed_in_user_reads_the_catalogue(api_client, applicant, mech):
    client = api_client(applicant)
    roots = client.get(SPECIALTIES).json()["results"]
    assert {"code": "08", "name": "工学"}.items() <= next(
        r for r in roots if r["code"] == "08"
    ).items()
    assert all(r["is_category"] and r["parent"] is None for r in roots)
    assert client.get(f"{SPECIALTIES}{mech.pk}/").status_code == 200
    assert client.get(SERIES).status_code == 200
    assert client.get(TITLES).json()["count"] == Title.objects.count()


def test_readers_without_the_permission_cannot_write(api_client, applicant, mech):
    client = api_client(applicant)
    response = client.post(SPECIALTIES, {"parent": mech.pk, "code": "A1", "name": "x"})
    assert response.status_code == 403
    assert client.delete(f"{SPECIALTIES}{mech.pk}/").status_code == 403
    assert not Specialty.objects.filter(code="A1").exists()


def test_parent_lists_the_children_of_one_node(api_client, hr_city, mech):
    data = api_client(hr_city).get(SPECIALTIES, {"parent": mech.pk}).json()
    assert [r["code"] for r in data["results"]] == ["080201", "080202", "080203", "080204"]
    assert all(r["parent"] == mech.pk and not r["has_children"] for r in data["results"])


def test_a_flat_list_loads_the_parents_of_the_page_in_one_query(
    api_client, hr_city, django_assert_max_num_queries
):
    client = api_client(hr_city)
    client.get(SPECIALTIES)  # warm the session and permission caches
    with django_assert_max_num_queries(6):
        rows = client.get(SPECIALTIES, {"code": "0", "page_size": 100}).json()["results"]
    assert len(rows) > 50
    by_path = {s.path: s.pk for s in Specialty.objects.all()}
    for row in rows:
        node = Specialty.objects.get(pk=row["id"])
        expected = by_path.get(node.path[: -Specialty.steplen]) if node.depth > 1 else None
        assert row["parent"] == expected, row["code"]


def test_search_returns_matches_with_their_ancestors(api_client, hr_city):
    data = api_client(hr_city).get(SPECIALTIES, {"search": "内科"}).json()
    assert [r["code"] for r in data["results"]] == ["100201"]
    assert [a["name"] for a in data["results"][0]["ancestors"]] == ["医学", "临床医学"]


def test_unknown_specialty_is_404(api_client, hr_city):
    assert api_client(hr_city).get(f"{SPECIALTIES}999999/").status_code == 404
    assert api_client(hr_city).get(SPECIALTIES, {"parent": "abc"}).status_code == 404


def test_hr_officer_creates_edits_and_deletes_a_specialty(api_client, hr_city, mech):
    client = api_client(hr_city)
    created = client.post(
        SPECIALTIES, {"parent": mech.pk, "code": "080299", "name": "智能制造"}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["parent"] == mech.pk
    edited = client.patch(f"{SPECIALTIES}{pk}/", {"name": "智能装备"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["name"] == "智能装备"
    assert client.delete(f"{SPECIALTIES}{pk}/").status_code == 204
    assert not Specialty.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"code": "0802", "name": "重复"}, "detail", "专业代码“0802”已被“机械工程”使用"),
        ({"code": "代码", "name": "x"}, "detail", "代码只能由字母、数字"),
        ({"code": "A1"}, "name", "该字段是必填项"),
        ({"code": "A1", "name": "x", "parent": 999999}, "parent", "无效主键"),
        ({"code": "A1", "name": "x", "parent": None}, "detail", "栏目大类随系统提供，不能新增"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_changes(
    api_client, hr_city, mech, payload, field, message
):
    payload = {"parent": mech.pk, **payload}
    before = Specialty.objects.count()
    response = api_client(hr_city).post(SPECIALTIES, payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert Specialty.objects.count() == before


def test_deleting_a_node_with_children_is_refused_with_the_reason(api_client, hr_province, mech):
    response = api_client(hr_province).delete(f"{SPECIALTIES}{mech.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"] == "该专业下还有 4 个下级专业，请先删除下级专业"


def test_a_city_officer_gets_403_on_nodes_it_does_not_manage(api_client, hr_city, mech):
    response = api_client(hr_city).patch(f"{SPECIALTIES}{mech.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "由其他机构维护" in response.json()["detail"]
    assert Specialty.objects.get(pk=mech.pk).name == "机械工程"


def test_title_series_are_read_only(api_client, hr_province, engineering):
    client = api_client(hr_province)
    health = client.get(SERIES, {"parent": TitleSeries.objects.get(code="health").pk}).json()
    assert [s["full_name"] for s in health] == ["卫生·医疗", "卫生·药学", "卫生·护理", "卫生·技术"]
    assert client.post(SERIES, {"code": "x", "name": "新系列"}).status_code in (403, 405)
    assert client.delete(f"{SERIES}{engineering.pk}/").status_code in (403, 405)
    assert TitleSeries.objects.filter(pk=engineering.pk).exists()


def test_titles_filter_by_series_and_level(api_client, hr_city, engineering):
    data = api_client(hr_city).get(TITLES, {"series": engineering.pk, "level": "senior_deputy"})
    assert [t["name"] for t in data.json()["results"]] == ["高级工程师"]
    assert data.json()["results"][0]["level_display"] == "副高级"


def test_hr_officer_creates_edits_and_deletes_a_title(api_client, hr_city, engineering):
    client = api_client(hr_city)
    created = client.post(
        TITLES, {"series": engineering.pk, "level": "intermediate", "name": "工程师（试点）"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    edited = client.patch(f"{TITLES}{pk}/", {"level": "assistant"}, format="json")
    assert edited.json()["level"] == "assistant"
    assert client.delete(f"{TITLES}{pk}/").status_code == 204


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"level": "intermediate", "name": "工程师"}, "detail", "已有职称“工程师”"),
        ({"level": "master", "name": "新职称"}, "level", "不是合法选项"),
        ({"level": "junior", "name": ""}, "name", "不能为空"),
    ],
)
def test_bad_title_input_is_a_chinese_400(
    api_client, hr_city, engineering, payload, field, message
):
    before = Title.objects.count()
    response = api_client(hr_city).post(TITLES, {"series": engineering.pk, **payload})
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert Title.objects.count() == before


def test_a_city_officer_cannot_delete_a_standard_title(api_client, hr_city):
    standard = Title.objects.get(series__code="engineering", name="工程师")
    response = api_client(hr_city).delete(f"{TITLES}{standard.pk}/")
    assert response.status_code == 403
    assert Title.objects.filter(pk=standard.pk).exists()


def test_import_and_export_through_the_api(api_client, hr_city):
    import io

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.active.append(["专业代码", "专业学科名称", "上级专业代码"])
    book.active.append(["081299", "人工智能", "0812"])
    book.active.append(["081299", "重复行", "0812"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "specialties.xlsx"
    client = api_client(hr_city)
    preview = client.post(f"{SPECIALTIES}import/", {"file": buffer}, format="multipart")
    assert preview.status_code == 201
    assert (preview.json()["valid"], preview.json()["invalid"]) == (1, 1)
    assert "与第2行重复" in preview.json()["errors"][0]["message"]
    committed = client.post(f"/api/v1/imports/{preview.json()['id']}/commit/")
    assert committed.json()["created"] == 1
    assert Specialty.objects.get(code="081299").owner_organization == hr_city.organization
    export = client.get(f"{SPECIALTIES}export/", {"code": "081299"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[1][:3] == ("081299", "人工智能", "0812")


def test_a_reader_without_the_permission_cannot_import_or_export(api_client, applicant):
    client = api_client(applicant)
    assert client.get(f"{SPECIALTIES}export/").status_code == 403
    assert client.post(f"{SPECIALTIES}import/", {}, format="multipart").status_code == 403
