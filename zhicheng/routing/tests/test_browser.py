"""In Chromium, as a city bureau's HR officer: 1.3 受理机构 and 1.4 职称初定审核路径配置 through
their pages — create with the organization typeahead, 申报须知, edit, import files with good and
bad rows, query and export, the route preview, and 注销 with the reason in the confirmation
dialog. (1.5–1.8 are the same pages parameterised by route kind; they are opened here too.)"""

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.conftest import PASSWORD
from zhicheng.routing.models import AcceptanceOffice, RouteEdge
from zhicheng.routing.resolve import route_resolve

from .conftest import build_xlsx

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)

DEPUTY = "senior_deputy"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def choose_org(page, field: str, term: str, name: str) -> None:
    """录入机构名称，回车查询，选择机构."""
    search = page.locator(f"#id_{field}_search")
    search.fill(term)
    search.press("Enter")
    option = page.locator("[data-typeahead-item]", has_text=name)
    expect(option.first).to_be_visible()
    option.first.click()


def xlsx_rows(path: str) -> list[list]:
    with open(path, "rb") as handle:
        return [list(r) for r in load_workbook(io.BytesIO(handle.read())).active.values]


def confirm_with_reason(page, reason: str) -> None:
    modal = page.locator("#confirm-modal")
    expect(modal).to_be_visible()
    modal.locator("#confirm-reason").fill(reason)
    modal.locator("[data-confirm-ok]").click()


def import_file(page, key: str, path: Path, params: dict[str, str], summary: str) -> None:
    page.click(".list-toolbar button:has-text('导入')")
    dialog = page.locator(f"#import-dialog-{key}")
    expect(dialog).to_be_visible()
    for name, value in params.items():
        dialog.locator(f"select[name={name}]").select_option(value)
    dialog.locator("input[type=file]").set_input_files(str(path))
    dialog.locator("[data-testid=import-submit]").click()
    expect(dialog.locator("[data-testid=import-summary]")).to_have_text(summary)


def commit_import(page, key: str, result: str) -> None:
    dialog = page.locator(f"#import-dialog-{key}")
    dialog.locator("[data-testid=import-commit]").click()
    expect(dialog.locator("[data-testid=import-result]")).to_contain_text(result)
    with page.expect_navigation():  # closing the dialog refreshes the list
        dialog.locator(".modal-footer button:has-text('关闭')").click()


def test_acceptance_offices_as_an_hr_officer(page, live_server, hr_city, orgs, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    page.click('#sidebar a[data-menu-code="1.3"]')
    expect(page.locator("h4", has_text="职称初定/认定受理机构管理")).to_be_visible()
    expect(page.locator('[data-testid="empty-state"]')).to_be_visible()

    # 新增: required fields marked, the organization by typeahead; then 申报须知.
    page.click(".list-toolbar a:has-text('新增')")
    expect(page.locator("label[for=id_node_type] .required-mark")).to_be_visible()
    page.select_option("#id_node_type", label="市级人社部门")
    choose_org(page, "organization", "南京市人力", orgs["city_nj"].name)
    page.select_option("#id_level", label="副高级")
    page.select_option("#id_acquisition_method", label="初定")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("请点击“申报须知”填写申报须知")
    office = AcceptanceOffice.objects.get()
    page.click(".detail-actions a:has-text('申报须知')")
    page.fill("#id_notice", "请按时申报。\n\n- 身份证\n- **学历**证书\n<script>x</script>")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("申报须知已保存")
    notice = page.locator('[data-testid="notice"]')
    expect(notice.locator("li strong")).to_have_text("学历")
    expect(notice).to_contain_text("<script>x</script>")  # shown as text, never run

    # The same office again is refused in the form, with the reason.
    page.goto(f"{live_server.url}/routing/offices/new/")
    page.select_option("#id_node_type", label="市级人社部门")
    choose_org(page, "organization", "南京市人力", orgs["city_nj"].name)
    page.select_option("#id_level", label="副高级")
    page.select_option("#id_acquisition_method", label="初定")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text("已是副高级初定的受理机构")

    # 编辑.
    page.goto(f"{live_server.url}/routing/offices/")
    page.click("table a:has-text('编辑')")
    page.select_option("#id_node_type", label="其他")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    office.refresh_from_db()
    assert office.node_type == "other"

    # 批量导入: 职称等级 and 取得方式 on the page; good and bad rows.
    upload = tmp_path / "受理机构.xlsx"
    upload.write_bytes(
        build_xlsx(
            ["受理节点类型*", "机构名称", "统一社会信用代码"],
            [
                ["县级人社部门", orgs["county_jn"].name, ""],
                ["用人单位", "", orgs["unit_k"].uscc],
                ["用人单位", "不存在的单位", ""],
                ["主管部门", orgs["unit_a"].name, ""],
            ],
        )
    )
    page.goto(f"{live_server.url}/routing/offices/")
    import_file(
        page,
        "acceptance-offices",
        upload,
        {"level": DEPUTY, "acquisition_method": "recognition"},
        "共 4 条：成功 2 条，失败 2 条",
    )
    failed = page.locator("[data-testid=import-failed-rows] tbody tr")
    expect(failed).to_have_count(2)
    expect(failed.nth(0)).to_contain_text("未找到名称为“不存在的单位”的机构")
    expect(failed.nth(1)).to_contain_text("不能作为“主管部门”节点")
    commit_import(page, "acceptance-offices", "成功导入 2 条受理机构")
    assert AcceptanceOffice.objects.filter(acquisition_method="recognition").count() == 2

    # Query, then 导出 the query.
    page.select_option("#id_acquisition_method", label="认定")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 2 条")
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    rows = xlsx_rows(download.value.path())
    assert sorted(r[0] for r in rows[1:]) == sorted([orgs["county_jn"].name, orgs["unit_k"].name])

    # 注销 with a reason: kept in the list as 已注销.
    row = page.locator("#list-results tbody tr", has_text=orgs["unit_k"].name)
    row.locator("button:has-text('注销')").click()
    confirm_with_reason(page, "单位不再受理")
    expect(page.locator(".alert-success")).to_contain_text("已注销")
    deregistered = AcceptanceOffice.objects.get(organization=orgs["unit_k"])
    assert (deregistered.status, deregistered.deregister_reason) == (
        "deregistered",
        "单位不再受理",
    )
    assert errors == []


def test_a_review_route_as_an_hr_officer(page, live_server, hr_city, orgs, tmp_path):
    from zhicheng.routing import services

    services.acceptance_office_create(
        actor=hr_city,
        organization=orgs["city_nj"],
        node_type="city_hr",
        level=DEPUTY,
        acquisition_method="initial",
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, hr_city.username)
    for code, title in (
        ("1.5", "职称认定审核路径配置"),
        ("1.6", "初评会审核路径配置"),
        ("1.7", "中评会审核路径配置"),
        ("1.8", "高评会审核路径配置"),
        ("1.4", "职称初定审核路径配置"),
    ):
        page.click(f'#sidebar a[data-menu-code="{code}"]')
        expect(page.locator("h4", has_text=title)).to_be_visible()
    # By default the page shows the officer's own organization and where it stands.
    expect(page.locator("#id_superior_search")).to_have_value(orgs["city_nj"].name)
    expect(page.locator('[data-testid="route-complete"]').first).to_contain_text(
        "路径完整：初定 · 副高级"
    )

    # 新增下级机构.
    page.click(".list-toolbar a:has-text('新增下级机构')")
    expect(page.locator('[data-testid="route-help"]')).to_contain_text("自上而下配置")
    page.select_option("#id_level", label="副高级")
    page.select_option("#id_node_type", label="县级人社部门")
    choose_org(page, "subordinate", "江宁区人力", orgs["county_jn"].name)
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("#list-results tbody")).to_contain_text(orgs["county_jn"].name)

    # A superior that is not on the route yet is refused, with the reason, in the form.
    page.click(".list-toolbar a:has-text('新增下级机构')")
    page.select_option("#id_level", label="副高级")
    choose_org(page, "superior", "江宁区教育", orgs["dept_jn_edu"].name)
    page.select_option("#id_node_type", label="用人单位")
    choose_org(page, "subordinate", "东山中学", orgs["unit_d"].name)
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text(
        "尚未接入初定 · 副高级审核路径"
    )
    assert RouteEdge.objects.count() == 1

    # Drill down to the county and import its 下级机构 (职称等级 on the page).
    page.goto(f"{live_server.url}/routing/routes/initial/")
    page.click("[data-testid=drill-down]:has-text('江宁区人力资源')")
    expect(page.locator('[data-testid="empty-state"]')).to_be_visible()
    upload = tmp_path / "下级机构.xlsx"
    upload.write_bytes(
        build_xlsx(
            [
                "上级机构统一社会信用代码",
                "下级节点类型*",
                "下级机构名称",
                "下级机构统一社会信用代码",
            ],
            [
                [orgs["county_jn"].uscc, "主管部门", orgs["dept_jn_it"].name, ""],
                [orgs["dept_jn_it"].uscc, "用人单位", orgs["unit_a"].name, ""],
                [orgs["unit_a"].uscc, "市级人社部门", "", orgs["city_nj"].uscc],
                ["", "用人单位", "", orgs["unit_f"].uscc],
            ],
        )
    )
    import_file(
        page, "review-routes-initial", upload, {"level": DEPUTY}, "共 4 条：成功 2 条，失败 2 条"
    )
    failed = page.locator("[data-testid=import-failed-rows] tbody tr")
    expect(failed.nth(0)).to_contain_text("会形成循环")
    expect(failed.nth(1)).to_contain_text("不在您的管辖范围内")
    commit_import(page, "review-routes-initial", "成功导入 2 条")
    assert route_resolve(orgs["unit_a"], "initial", DEPUTY).complete
    expect(page.locator("#list-results tbody")).to_contain_text(orgs["dept_jn_it"].name)

    # 编辑 a link, then 导出 what the page shows.
    page.click("#list-results table a:has-text('编辑')")
    page.select_option("#id_node_type", label="其他")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert RouteEdge.objects.get(subordinate=orgs["dept_jn_it"]).node_type == "other"
    with page.expect_download() as download:
        page.click('[data-testid="export"]')
    rows = xlsx_rows(download.value.path())
    assert [(r[2], r[5]) for r in rows[1:]] == [(orgs["county_jn"].name, orgs["dept_jn_it"].name)]

    # 审核路径预览: the complete chain, and a missing link.
    page.click('[data-testid="preview-link"]')
    choose_org(page, "employer", "智能装备", orgs["unit_a"].name)
    page.select_option("#id_level", label="副高级")
    page.click("button[type=submit]:has-text('预览')")
    chain = page.locator('[data-testid="route-chain"] li')
    expect(chain).to_have_count(4)
    expect(chain.last).to_contain_text(orgs["city_nj"].name)
    expect(page.locator('[data-testid="route-complete"]')).to_be_visible()
    choose_org(page, "employer", "软件技术", orgs["unit_b"].name)
    page.click("button[type=submit]:has-text('预览')")
    expect(page.locator('[data-testid="route-missing"]')).to_contain_text(
        f"{orgs['unit_b'].name} 没有配置上级机构（初定 · 副高级）"
    )

    # 注销: refused while the county still has 下级机构; a leaf is deregistered with a reason.
    page.goto(f"{live_server.url}/routing/routes/initial/")
    page.locator("#list-results tbody tr", has_text="江宁区人力").locator(
        "button:has-text('注销')"
    ).click()
    confirm_with_reason(page, "调整")
    expect(page.locator(".alert-danger")).to_contain_text("请先注销或调整这些下级机构")
    page.goto(
        f"{live_server.url}/routing/routes/initial/?superior={orgs['dept_jn_it'].pk}&level={DEPUTY}"
    )
    page.locator("#list-results tbody tr", has_text=orgs["unit_a"].name).locator(
        "button:has-text('注销')"
    ).click()
    confirm_with_reason(page, "单位迁出")
    expect(page.locator(".alert-success")).to_contain_text("已注销")
    leaf = RouteEdge.objects.get(subordinate=orgs["unit_a"])
    assert (leaf.status, leaf.deregister_reason) == ("deregistered", "单位迁出")
    assert errors == []
