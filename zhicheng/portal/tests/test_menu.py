"""The left menu: the 24 guide functions in order, system entries, the active entry."""

import logging
import re

import pytest
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.portal import menu as menu_module
from zhicheng.portal.menu import GUIDE_FUNCTIONS, MenuEntry, menu_for

GUIDE_CODES = [f"1.{n}" for n in range(1, 25)]


def anchor(html: str, code: str) -> str:
    match = re.search(
        rf'<a class="[^"]*"\s+href="[^"]*"\s+data-menu-code="{re.escape(code)}"', html
    )
    assert match, f"menu entry {code} missing"
    return match.group(0)


def test_guide_functions_are_the_24_of_the_guide_in_order():
    assert [e.code for e in GUIDE_FUNCTIONS] == GUIDE_CODES
    assert GUIDE_FUNCTIONS[0].name == "职称专业管理"
    assert GUIDE_FUNCTIONS[13].name == "呈报方案审核（特殊情况）"
    assert GUIDE_FUNCTIONS[23].name == "职称申报审核流程查询"


def test_hr_officer_sees_all_24_functions_and_organizations(hr_city):
    menu = menu_for(hr_city)
    # 专家库 is no guide function: it stands after 1.10/1.11, without a number; 评后公示 after 1.14.
    codes = [i.code for i in menu["guide"]]
    # 申报批次 (x.windows) and 单位注册审核 stand after 1.12, 评后公示 and 通过率上限 after 1.14, for HR officers.
    assert codes == [
        *GUIDE_CODES[:11],
        "x.experts",
        GUIDE_CODES[11],
        "x.windows",
        "x.checklists",
        "units.registrations",
        *GUIDE_CODES[12:14],
        "x.publicity",
        "x.pass-rate-caps",
        *GUIDE_CODES[14:],
    ]
    assert menu["guide"][11].name == "专家库"
    assert [i.name for i in menu["system"]] == ["机构管理"]


def test_every_menu_entry_opens_for_hr_city_with_itself_highlighted(client, hr_city):
    client.force_login(hr_city)
    items = [*menu_for(hr_city)["guide"], *menu_for(hr_city)["system"]]
    assert len(items) == 31
    for item in items:
        response = client.get(item.href)
        assert response.status_code == 200, item.href
        html = response.content.decode()
        assert "active" in anchor(html, item.code).split('"')[1].split(), item.code
        others = [i for i in items if i.code != item.code]
        assert all("active" not in anchor(html, o.code).split('"')[1].split() for o in others)
        if item.is_pending:
            assert "该功能尚未建设" in html


def test_system_admin_sees_user_management(orgs, make_user):
    admin = make_user(orgs["province"], Role.SYSTEM_ADMIN, username="t_sys")
    names = [i.name for i in menu_for(admin)["system"]]
    assert names[:2] == ["机构管理", "用户管理"]
    assert menu_for(admin)["guide"] == []


def test_a_system_entry_whose_page_is_missing_is_skipped_with_a_warning(
    monkeypatch, orgs, make_user, caplog
):
    auditor = make_user(orgs["province"], Role.AUDIT_ADMIN, username="t_aud")
    missing = MenuEntry("sys.x", "不存在的页面", "nowhere:page", frozenset({Role.AUDIT_ADMIN}))
    monkeypatch.setattr(menu_module, "SYSTEM_ENTRIES", (missing,))
    with caplog.at_level(logging.WARNING, logger="zhicheng.portal.menu"):
        assert menu_for(auditor)["system"] == []
    assert "nowhere:page" in caplog.text


def test_a_guide_entry_whose_page_is_missing_falls_back_to_the_pending_page(monkeypatch, hr_city):
    broken = MenuEntry("1.1", "职称专业管理", "nowhere:page")
    monkeypatch.setattr(menu_module, "GUIDE_FUNCTIONS", (broken,))
    (item,) = menu_for(hr_city)["guide"]
    assert item.href == reverse("web:function-pending", kwargs={"code": "1.1"})
    assert item.is_pending


def test_the_menu_renders_for_the_audit_admin(client, orgs, make_user):
    client.force_login(make_user(orgs["province"], Role.AUDIT_ADMIN, username="t_aud2"))
    assert client.get(reverse("web:home")).status_code == 200


def test_unknown_function_code_is_404(client, hr_city):
    client.force_login(hr_city)
    assert client.get(reverse("web:function-pending", kwargs={"code": "9.9"})).status_code == 404


@pytest.mark.parametrize("url", ["/", "/functions/1.1/", "/orgs/", "/users/"])
def test_pages_need_a_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
