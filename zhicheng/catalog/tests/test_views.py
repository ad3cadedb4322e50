"""1.1 / 1.2 pages: tree with lazy expand, 新增 / 保存 / 删除 with messages, import, export."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhicheng.catalog.models import Specialty, Title
from zhicheng.tabular.models import ImportBatch

TREE = reverse("catalog:specialty-tree")
TITLES = reverse("catalog:title-tree")


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


def test_the_page_shows_the_categories_and_expands_the_branch_of_the_selected_node(
    client_for, hr_city, mech
):
    page = client_for(hr_city).get(TREE, {"node": mech.pk})
    assert page.status_code == 200
    body = text(page)
    assert "栏目大类" in body and "工学" in body
    assert "080203" in body  # children of the selected node are rendered
    assert "081201" not in body  # other branches stay collapsed (lazy)
    assert "新增下级专业（上级：0802 机械工程）" in body
    assert 'data-testid="specialty-edit-form"' not in body  # standard node: province only


def test_opening_a_node_loads_its_children_through_htmx(client_for, hr_city):
    computing = Specialty.objects.get(code="0812")
    url = reverse("catalog:specialty-children", args=[computing.pk])
    body = text(client_for(hr_city).get(url, headers={"HX-Request": "true"}))
    assert "081203" in body and "计算机应用技术" in body
    assert "<html" not in body


def test_search_lists_matches_with_their_path(client_for, hr_city):
    body = text(client_for(hr_city).get(TREE, {"q": "护理"}))
    assert "1011" in body
    assert "医学" in body
    assert "未找到匹配的专业" in text(client_for(hr_city).get(TREE, {"q": "不存在的专业"}))


def test_adding_a_child_redirects_to_it_with_a_message(client_for, hr_city, mech):
    client = client_for(hr_city)
    response = client.post(
        reverse("catalog:specialty-create", args=[mech.pk]), {"code": "080299", "name": "智能制造"}
    )
    node = Specialty.objects.get(code="080299")
    assert response.status_code == 302
    assert response["Location"] == f"{TREE}?node={node.pk}"
    assert "专业“080299 智能制造”已新增" in text(client.get(response["Location"]))


def test_a_refused_add_re_renders_the_form_with_the_reason(client_for, hr_city, mech):
    response = client_for(hr_city).post(
        reverse("catalog:specialty-create", args=[mech.pk]), {"code": "0812", "name": "重复"}
    )
    assert response.status_code == 200
    assert "专业代码“0812”已被“计算机科学与技术”使用" in text(response)
    assert 'value="重复"' in text(response)


def test_deleting_a_node_with_children_shows_the_reason(client_for, hr_province, mech):
    client = client_for(hr_province)
    response = client.post(reverse("catalog:specialty-delete", args=[mech.pk]), follow=True)
    assert "该专业下还有 4 个下级专业，请先删除下级专业" in text(response)
    assert Specialty.objects.filter(pk=mech.pk).exists()


def test_editing_and_deleting_an_own_node(client_for, hr_city, city_specialty, mech):
    client = client_for(hr_city)
    client.post(
        reverse("catalog:specialty-update", args=[city_specialty.pk]),
        {"code": "080298", "name": "智能装备"},
    )
    assert Specialty.objects.get(pk=city_specialty.pk).name == "智能装备"
    response = client.post(reverse("catalog:specialty-delete", args=[city_specialty.pk]))
    assert response["Location"] == f"{TREE}?node={mech.pk}"
    assert not Specialty.objects.filter(pk=city_specialty.pk).exists()


def test_a_city_officer_cannot_post_edits_to_a_standard_node(client_for, hr_city, mech):
    response = client_for(hr_city).post(
        reverse("catalog:specialty-update", args=[mech.pk]), {"code": "0802", "name": "改"}
    )
    assert response.status_code == 403
    assert Specialty.objects.get(pk=mech.pk).name == "机械工程"


def test_a_reader_without_permission_sees_no_forms_and_cannot_post(
    client_for, employer_officer, mech
):
    client = client_for(employer_officer)
    body = text(client.get(TREE, {"node": mech.pk}))
    assert "新增下级专业" not in body and "删除栏目" not in body
    response = client.post(
        reverse("catalog:specialty-create", args=[mech.pk]), {"code": "A1", "name": "x"}
    )
    assert response.status_code == 403


def test_anonymous_users_are_sent_to_login(db):
    response = Client().get(TREE)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["专业代码", "专业学科名称", "上级专业代码"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "专业.xlsx"
    return buffer


def test_import_previews_good_and_bad_rows_and_commits_only_the_good(client_for, hr_city):
    client = client_for(hr_city)
    upload = _xlsx(
        [
            ["080210", "工业机器人", "0802"],
            ["08021001", "协作机器人", "080210"],
            ["0812", "重复代码", "08"],
            ["X9", "无上级", "NOPE"],
        ]
    )
    preview = client.post(reverse("tabular:upload", args=["specialties"]), {"file": upload})
    body = text(preview)
    assert "共 4 条：成功 2 条，失败 2 条" in body
    assert "专业代码“0812”已被“计算机科学与技术”使用" in body
    assert "上级专业代码“NOPE”不存在" in body
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse("tabular:commit", args=[batch.pk]))
    child = Specialty.objects.get(code="08021001")
    assert Specialty.objects.get_parent(child).code == "080210"
    assert Specialty.objects.get(code="0802").numchild == 5
    assert all(not problems for problems in Specialty.objects.find_problems())


def test_export_writes_the_filtered_specialties(client_for, hr_city):
    response = client_for(hr_city).post(
        reverse("tabular:export", args=["specialties"]), {"code": "0814"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("专业代码", "专业学科名称", "上级专业代码")
    assert [r[0] for r in rows[1:]] == ["0814", "081401", "081402", "081403"]
    assert rows[2][2] == "0814"


def test_title_page_adds_edits_and_deletes_a_title(client_for, hr_city, engineering):
    client = client_for(hr_city)
    body = text(client.get(TITLES, {"series": engineering.pk}))
    assert "正高级工程师" in body and "新增职称（职称系列：工程）" in body
    response = client.post(
        reverse("catalog:title-create", args=[engineering.pk]),
        {"level": "intermediate", "name": "工程师（试点）"},
    )
    title = Title.objects.get(name="工程师（试点）")
    assert response["Location"] == f"{TITLES}?title={title.pk}"
    client.post(
        reverse("catalog:title-update", args=[title.pk]), {"level": "assistant", "name": "助工"}
    )
    assert Title.objects.get(pk=title.pk).level == "assistant"
    client.post(reverse("catalog:title-delete", args=[title.pk]))
    assert not Title.objects.filter(pk=title.pk).exists()


def test_a_duplicate_title_re_renders_with_the_reason(client_for, hr_city, engineering):
    response = client_for(hr_city).post(
        reverse("catalog:title-create", args=[engineering.pk]),
        {"level": "intermediate", "name": "工程师"},
    )
    assert response.status_code == 200
    assert "职称系列“工程”下已有职称“工程师”" in text(response)


def test_a_group_series_offers_no_add_form(client_for, hr_city):
    from zhicheng.catalog.models import TitleSeries

    health = TitleSeries.objects.get(code="health")
    body = text(client_for(hr_city).get(TITLES, {"series": health.pk}))
    assert "该系列下设子系列" in body
    assert "新增职称（" not in body


def test_titles_export(client_for, hr_city, engineering):
    response = client_for(hr_city).post(
        reverse("tabular:export", args=["titles"]), {"series": engineering.pk}
    )
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][:3] == ("工程", "正高级", "正高级工程师")
    assert len(rows) == 6


def test_the_title_tree_can_be_queried_by_name(client_for, hr_city):
    """1.2 支持查询: titles whose name contains the term, each opening its panel."""
    url = TITLES
    page = client_for(hr_city).get(url, {"q": "工程师"}).content.decode()
    results = page.split('data-testid="title-search-results"', 1)[1].split("</ul>", 1)[0]
    engineer = Title.objects.get(series__code="engineering", name="高级工程师")
    assert f"?title={engineer.pk}&amp;q=" in results
    assert "助理工程师" in results and "会计师" not in results
    none = client_for(hr_city).get(url, {"q": "不存在的职称"}).content.decode()
    assert "没有符合条件的职称" in none
    assert 'data-testid="title-search-results"' not in client_for(hr_city).get(url).content.decode()


def test_import_names_the_refused_row_a_later_row_hangs_under(client_for, hr_city):
    """A row refused for one of its cells still tells its children why their parent is missing."""
    upload = _xlsx([["080211", "", "0802"], ["08021101", "协作", "080211"]])
    body = text(
        client_for(hr_city).post(reverse("tabular:upload", args=["specialties"]), {"file": upload})
    )
    assert "共 2 条：成功 0 条，失败 2 条" in body
    assert "上级专业“080211”所在的第2行校验失败" in body
