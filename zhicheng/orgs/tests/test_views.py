"""机构管理 pages: list (filters, pagination, scope), 新增, 编辑, 详情, 注销."""

import pytest
from django.urls import reverse

from zhicheng.orgs import services
from zhicheng.orgs.demo import demo_uscc
from zhicheng.orgs.models import Organization, OrgStatus, OrgType

LIST = reverse("orgs:organization-list")
CREATE = reverse("orgs:organization-create")


def uscc(n: int) -> str:
    return demo_uscc("91", "320115", f"MA1TT{n:04d}")


def add_employers(actor, parent, count: int) -> list[Organization]:
    return [
        services.organization_create(
            actor=actor,
            parent=parent,
            name=f"测试企业{i:03d}",
            uscc=uscc(i),
            org_type=OrgType.EMPLOYER,
            region_code="320115",
        )
        for i in range(count)
    ]


@pytest.fixture
def city_client(client, hr_city):
    client.force_login(hr_city)
    return client


def test_list_shows_only_the_officers_subtree(city_client, orgs):
    html = city_client.get(LIST).content.decode()
    assert orgs["unit_a"].name in html
    assert orgs["county_jn"].name in html
    assert orgs["city_sz"].name not in html
    assert orgs["province"].name not in html
    assert "共 10 条" in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("name=软件", "unit_b", "unit_a"),
        ("org_type=competent_dept", "dept_jn_edu", "unit_a"),
        ("region_code=320100", "unit_k", "unit_a"),
    ],
)
def test_list_filters_narrow_the_rows(city_client, orgs, query, expected, absent):
    html = city_client.get(f"{LIST}?{query}").content.decode()
    assert orgs[expected].name in html
    assert orgs[absent].name not in html


def test_list_filters_by_uscc_prefix_and_status(city_client, orgs, hr_city):
    services.organization_deregister(actor=hr_city, organization=orgs["unit_c"])
    html = city_client.get(f"{LIST}?status=deregistered").content.decode()
    assert orgs["unit_c"].name in html and "共 1 条" in html
    html = city_client.get(f"{LIST}?uscc={orgs['unit_b'].uscc[:12]}").content.decode()
    assert orgs["unit_b"].name in html and orgs["unit_d"].name not in html


def test_list_shows_the_empty_state_when_nothing_matches(city_client, orgs):
    html = city_client.get(f"{LIST}?name=不存在的机构").content.decode()
    assert "暂无数据" in html
    assert "共 0 条" in html


def test_list_paginates_20_rows_and_keeps_the_filters(city_client, orgs, hr_city):
    add_employers(hr_city, orgs["dept_jn_it"], 25)
    first = city_client.get(f"{LIST}?name=测试企业").content.decode()
    assert first.count(">测试企业") == 20
    assert "第 1 / 2 页" in first
    assert "name=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A&amp;page=2" in first
    second = city_client.get(f"{LIST}?name=测试企业&page=2").content.decode()
    assert second.count(">测试企业") == 5
    everything = city_client.get(f"{LIST}?name=测试企业&page_size=50").content.decode()
    assert everything.count(">测试企业") == 25


def test_htmx_request_renders_only_the_table(city_client, orgs):
    response = city_client.get(
        f"{LIST}?name=软件", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="list-results">')
    assert "<html" not in html
    assert orgs["unit_b"].name in html


def test_list_query_count_does_not_grow_with_rows(
    city_client, orgs, hr_city, django_assert_max_num_queries
):
    add_employers(hr_city, orgs["dept_jn_it"], 30)
    with django_assert_max_num_queries(12):
        response = city_client.get(f"{LIST}?page_size=50")
    assert response.content.decode().count(">测试企业") == 30


def test_list_without_permission_is_forbidden(client, applicant):
    client.force_login(applicant)
    assert client.get(LIST).status_code == 403


def test_create_through_the_page_adds_a_child_of_the_chosen_parent(city_client, orgs):
    response = city_client.post(
        CREATE,
        {
            "parent": orgs["dept_jn_it"].pk,
            "name": "南京江宁测试科技有限公司",
            "uscc": uscc(900),
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
        follow=True,
    )
    org = Organization.objects.get(uscc=uscc(900))
    assert Organization.objects.get_parent(org).pk == orgs["dept_jn_it"].pk
    assert response.redirect_chain[-1][0] == reverse("orgs:organization-detail", args=[org.pk])
    assert "机构“南京江宁测试科技有限公司”已新增" in response.content.decode()


def test_create_with_an_invalid_uscc_shows_the_message_and_creates_nothing(city_client, orgs):
    bad = uscc(901)[:-1] + ("0" if uscc(901)[-1] != "0" else "1")
    before = Organization.objects.count()
    response = city_client.post(
        CREATE,
        {
            "parent": orgs["dept_jn_it"].pk,
            "name": "校验位错误公司",
            "uscc": bad,
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert Organization.objects.count() == before


def test_create_under_an_out_of_scope_parent_is_refused(city_client, orgs):
    before = Organization.objects.count()
    response = city_client.post(
        CREATE,
        {
            "parent": orgs["city_sz"].pk,
            "name": "越权新增公司",
            "uscc": uscc(902),
            "org_type": OrgType.EMPLOYER,
            "region_code": "320500",
        },
    )
    assert response.status_code == 200
    assert "机构不存在或不在管辖范围内" in response.content.decode()
    assert Organization.objects.count() == before


def test_create_without_required_fields_marks_them(city_client, orgs):
    response = city_client.post(CREATE, {"name": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("该字段是必填项。") >= 4
    assert '<span class="required-mark">*</span>机构名称' in html


def test_create_with_a_duplicate_uscc_is_refused(city_client, orgs):
    response = city_client.post(
        CREATE,
        {
            "parent": orgs["dept_jn_it"].pk,
            "name": "重复代码公司",
            "uscc": orgs["unit_a"].uscc,
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert not Organization.objects.filter(name="重复代码公司").exists()


def test_edit_saves_the_changes(city_client, orgs):
    org = orgs["unit_b"]
    response = city_client.post(
        reverse("orgs:organization-update", args=[org.pk]),
        {"name": "南京江宁软件股份有限公司", "uscc": org.uscc, "org_type": OrgType.EMPLOYER,
         "region_code": "320115"},
    )  # fmt: skip
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "南京江宁软件股份有限公司"


def test_edit_form_is_filled_with_the_current_values(city_client, orgs):
    html = city_client.get(reverse("orgs:organization-update", args=[orgs["unit_b"].pk])).content
    assert orgs["unit_b"].uscc in html.decode()


@pytest.mark.parametrize("name", ["orgs:organization-update", "orgs:organization-detail"])
def test_out_of_scope_or_unknown_ids_give_404(city_client, orgs, name):
    assert city_client.get(reverse(name, args=[orgs["unit_f"].pk])).status_code == 404
    assert city_client.get(reverse(name, args=[999999])).status_code == 404


def test_deregister_out_of_scope_gives_404_and_changes_nothing(city_client, orgs):
    url = reverse("orgs:organization-deregister", args=[orgs["unit_f"].pk])
    assert city_client.post(url).status_code == 404
    orgs["unit_f"].refresh_from_db()
    assert orgs["unit_f"].status == OrgStatus.ACTIVE


def test_detail_shows_the_chain_of_superiors_and_children(city_client, orgs):
    html = city_client.get(reverse("orgs:organization-detail", args=[orgs["dept_jn_it"].pk]))
    html = html.content.decode()
    chain = html[html.index('data-testid="ancestors"') :]
    positions = [chain.index(orgs[k].name) for k in ("province", "city_nj", "county_jn")]
    assert positions == sorted(positions)
    # A superior outside the officer's scope is named but not linked.
    assert f'href="{reverse("orgs:organization-detail", args=[orgs["province"].pk])}"' not in chain
    assert orgs["unit_a"].name in html  # a child


def test_deregister_with_active_children_is_refused(city_client, orgs):
    org = orgs["dept_jn_it"]
    response = city_client.post(
        reverse("orgs:organization-deregister", args=[org.pk]), {"next": LIST}, follow=True
    )
    assert "仍有正常状态的下级机构" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrgStatus.ACTIVE


def test_deregister_a_leaf_marks_it_deregistered(city_client, orgs):
    org = orgs["unit_a"]
    response = city_client.post(
        reverse("orgs:organization-deregister", args=[org.pk]), {"next": LIST}, follow=True
    )
    assert response.redirect_chain[-1][0] == LIST
    assert f"机构“{org.name}”已注销" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrgStatus.DEREGISTERED


def test_deregister_button_asks_for_confirmation(city_client, orgs):
    html = city_client.get(f"{LIST}?name=智能装备").content.decode()
    assert 'data-confirm="确定注销机构“南京江宁智能装备有限公司”吗？' in html


def test_deregister_is_post_only(city_client, orgs):
    url = reverse("orgs:organization-deregister", args=[orgs["unit_a"].pk])
    assert city_client.get(url).status_code == 405


def test_deregister_redirects_only_to_local_urls(city_client, orgs):
    url = reverse("orgs:organization-deregister", args=[orgs["unit_a"].pk])
    response = city_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == LIST


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91320115MA1", "统一社会信用代码应为18位，当前为11位"),
        ("91320115MA1OIZSV0Q", "统一社会信用代码含有非法字符：OIZS"),
    ],
)
def test_an_invalid_uscc_on_the_page_says_what_the_api_says_once(city_client, orgs, code, message):
    response = city_client.post(
        CREATE,
        {
            "parent": orgs["dept_jn_it"].pk,
            "name": "代码错误公司",
            "uscc": code,
            "org_type": OrgType.EMPLOYER,
            "region_code": "320115",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) == 1
    assert "确保该值" not in page  # Django's generic length messages
    assert 'maxlength="18"' in page
