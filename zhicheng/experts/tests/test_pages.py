"""专家库 pages (list, 新增, 修改, 详情, 出库, 重置密码), Excel import with preview, and the panel
page of a plan."""

import pytest
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.applications.tests.conftest import specialty
from zhicheng.catalog.models import TitleSeries
from zhicheng.experts.models import Expert, ExpertStatus, PanelDraw
from zhicheng.persons.tests.factories import id_number
from zhicheng.tabular import services as tabular_services
from zhicheng.tabular.tests.conftest import build_xlsx, upload

pytestmark = pytest.mark.django_db

LIST = reverse("experts:expert-list")
CREATE = reverse("experts:expert-create")


def form_data(world, **overrides) -> dict:
    return {
        "committee": world.committee.pk,
        "id_type": "resident_id",
        "id_number": id_number(region="320106", seq="801"),
        "name": "钱学文",
        "mobile": "",
        "series": TitleSeries.objects.get(code="engineering").pk,
        "specialty": specialty("080201").pk,
        "level": "full",
        "employer": world.orgs["unit_c"].name,
        "term_start": "2026-01-01",
        "term_end": "2028-12-31",
        "username": "",
        **overrides,
    }


def test_menu_and_list_for_hr_and_committee(client, world, fill_pool):
    fill_pool(2)
    for user in (world.officers["province"], world.committee_account):
        client.force_login(user)
        html = client.get(LIST).content.decode()
        assert 'data-menu-code="x.experts"' in html and "专家库" in html
        assert "专家01" in html and "专家02" in html
        for label in ("新增", "导入", "导出", "详情", "出库"):
            assert label in html
        assert 'data-confirm-reason="出库原因"' in html


def test_an_expert_login_cannot_open_the_pool(client, fill_pool):
    expert = fill_pool(1, must_change_password=False)[0]
    client.force_login(expert.account)
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(LIST).status_code == 403


def test_create_shows_the_initial_password_and_edit(client, world):
    client.force_login(world.committee_account)
    response = client.post(CREATE, form_data(world, username="zj_qian"), follow=True)
    html = response.content.decode()
    assert "已入库" in html and "zj_qian 的初始密码" in html
    expert = Expert.objects.get(account__username="zj_qian")
    assert expert.committee == world.committee
    # 工作单位 by name that does not exist → the form says so.
    response = client.post(CREATE, form_data(world, employer="不存在的单位"))
    assert "工作单位不存在" in response.content.decode()
    edit = reverse("experts:expert-update", args=[expert.pk])
    response = client.post(edit, {**form_data(world), "level": "deputy"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.level == "deputy"


def test_leave_from_the_list_needs_a_reason(client, world, fill_pool):
    expert = fill_pool(1)[0]
    client.force_login(world.officers["province"])
    url = reverse("experts:expert-leave", args=[expert.pk])
    client.post(url, {"reason": ""})
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.IN_POOL
    client.post(url, {"reason": "调离本省"})
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.OUT
    html = client.get(reverse("experts:expert-detail", args=[expert.pk])).content.decode()
    assert "调离本省" in html and "重新入库" in html


def test_reset_password_shows_it_once(client, world, fill_pool):
    expert = fill_pool(1)[0]
    client.force_login(world.committee_account)
    url = reverse("experts:expert-reset-password", args=[expert.pk])
    html = client.post(url, follow=True).content.decode()
    assert f"专家账号 {expert.account.username} 的新密码" in html


def test_import_with_preview_then_commit(world, fill_pool):
    existing = fill_pool(1)[0]
    headers = [c.header for c in tabular_services.get_import_spec("experts").columns]
    good = [
        "孙海",
        id_number(region="320106", seq="811"),
        "",
        "工程",
        "080201",
        "正高级",
        world.orgs["unit_c"].name,
        "2026-01-01",
        "2028-12-31",
        "",
        world.committee.name,
    ]
    again = [
        "专家01",
        existing.person.id_number,
        "",
        "工程",
        "080201",
        "正高级",
        world.orgs["unit_c"].name,
        "2026-01-01",
        "2028-12-31",
        "",
        world.committee.name,
    ]
    bad = ["李四", id_number(region="320106", seq="813"), "", "工程", "999999", "正高级",
           "无此单位", "2026-01-01", "2025-12-31", "", ""]  # fmt: skip
    batch = tabular_services.import_preview(
        actor=world.officers["province"],
        key="experts",
        fileobj=upload(build_xlsx([good, again, bad], headers=headers), "专家.xlsx"),
    )
    assert (batch.valid_count, batch.invalid_count) == (1, 2)
    messages = " ".join(str(e) for e in batch.errors)
    assert "已在" in messages and "专业代码“999999”不存在" in messages
    assert "请填写评委会名称" in messages
    assert not Expert.objects.filter(person__name="孙海").exists()  # preview writes nothing
    result = tabular_services.import_commit(actor=world.officers["province"], batch=batch)
    assert result.created == 1
    assert Expert.objects.get(person__name="孙海").account.has_role(Role.EXPERT)


def test_panel_page_draw_and_redraw(client, world, approved_plan, fill_pool):
    fill_pool(16)
    detail = reverse("plans:plan-detail", args=[approved_plan.pk])
    panel = reverse("experts:plan-panel", args=[approved_plan.pk])
    section = reverse("experts:plan-panel-section", args=[approved_plan.pk])
    client.force_login(world.committee_account)
    html = client.get(detail).content.decode()
    assert panel in html and f'hx-get="{section}"' in html
    html = client.get(section).content.decode()
    assert "尚未抽取评审专家" in html and f'name="next" value="{detail}#panel"' in html
    html = client.get(panel).content.decode()
    assert "尚未抽取评审专家" in html and "抽取专家" in html
    html = client.post(reverse("experts:panel-draw", args=[approved_plan.pk]), follow=True)
    html = html.content.decode()
    draw = PanelDraw.objects.get()
    assert f'随机种子 <strong data-testid="seed">{draw.seed}</strong>' in html
    assert html.count("备选专家") >= 7 and 'data-confirm-reason="重新抽取原因"' in html
    # A redraw without a reason is refused; with one it is the second draw.
    client.post(reverse("experts:panel-draw", args=[approved_plan.pk]), {"reason": ""})
    assert PanelDraw.objects.count() == 1
    client.post(reverse("experts:panel-draw", args=[approved_plan.pk]), {"reason": "回避"})
    assert PanelDraw.objects.count() == 2
    # HR officers see the panel, without the draw button.
    client.force_login(world.officers["province"])
    html = client.get(panel).content.decode()
    assert 'data-testid="seed"' in html and "draw-form" not in html


def test_panel_pages_are_scoped(client, world, approved_plan, make_user, fill_pool):
    expert = fill_pool(1, must_change_password=False)[0]
    stranger = make_user(world.orgs["organizer_eng"], Role.COMMITTEE, username="t_pg_other")
    urls = [
        reverse(name, args=[approved_plan.pk])
        for name in ("experts:plan-panel", "experts:plan-panel-section")
    ]
    client.force_login(stranger)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(reverse("experts:panel-draw", args=[approved_plan.pk])).status_code == 404
    client.force_login(expert.account)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert not PanelDraw.objects.exists()


def test_one_menu_entry_is_active_on_the_panel_page(client, world, approved_plan):
    client.force_login(world.committee_account)
    html = client.get(reverse("experts:plan-panel", args=[approved_plan.pk])).content.decode()
    assert html.count('aria-current="page"') == 1
