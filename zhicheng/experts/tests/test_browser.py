"""In Chromium, on the demo data: the demo plan approved, committee_eng opens its 专家库 from the
menu, then the plan (1.23), whose detail page loads the panel section, draws the panel (confirmed in the dialog: the seed and
14 experts, 7 of them alternates), and redraws with a reason asked in the dialog; 导出 gives the panel as .xlsx."""

import io
import os
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.experts.models import PanelDraw
from zhicheng.plans.models import EvaluationPlan
from zhicheng.plans.services import plan_review

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")


def test_the_committee_draws_and_redraws_its_panel(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The plans demo's ordinary plan; the filings demo adds 第一批 and 第二批 plans.
    plan = EvaluationPlan.objects.get(is_special=False, name__endswith="高级职称评审方案")
    plan_review(actor=User.objects.get(username="plan_reviewer"), plan=plan, approved=True)

    log_in(page, live_server, "committee_eng")
    page.click('#sidebar a[data-menu-code="x.experts"]')
    expect(page.locator("h4", has_text="专家库")).to_be_visible()
    expect(page.locator("#list-results")).to_contain_text("周建国")

    page.click('#sidebar a[data-menu-code="1.23"]')
    page.locator("table tbody tr", has_text=plan.name).locator(
        f'a[href="/plans/{plan.pk}/"]'
    ).first.click()
    # The panel section is loaded into the plan's detail page: the draw happens there.
    expect(page.locator('[data-testid="no-panel"]')).to_be_visible()

    page.click('[data-testid="draw-form"] button[type=submit]')
    modal = page.locator("#confirm-modal")
    expect(modal).to_contain_text("确定抽取评审专家吗")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator('[data-testid="seed"]')).to_be_visible()
    first = PanelDraw.objects.get(plan=plan)
    expect(page.locator('[data-testid="seed"]')).to_have_text(str(first.seed))
    rows = page.locator('[data-testid="panel"] tbody tr')
    expect(rows).to_have_count(14)
    expect(page.locator('[data-testid="panel"] tbody tr', has_text="备选专家")).to_have_count(7)

    page.click('[data-testid="draw-form"] button[type=submit]')
    modal.locator("[data-confirm-ok]").click()  # no reason yet: refused in the dialog
    expect(page.locator("#confirm-reason")).to_have_class(re.compile("is-invalid"))
    page.fill("#confirm-reason", "一名专家临时回避")
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator('[data-testid="draw-info"]')).to_contain_text("第2次抽取")
    expect(page.locator('[data-testid="draw-info"]')).to_contain_text("一名专家临时回避")
    expect(page.locator('[data-testid="draws"] tbody tr')).to_have_count(2)
    assert page.url.split("#")[0].endswith(f"/plans/{plan.pk}/")
    # … and on the page of its own, with the 专家需求.
    page.click('[data-testid="panel-link"]')
    expect(page.locator('[data-testid="requirements"]')).to_contain_text("7")
    expect(page.locator('[data-testid="draw-info"]')).to_contain_text("第2次抽取")
    # 导出: the panel as the page shows it, in draw order.
    with page.expect_download() as download:
        page.click('#panel [data-testid="export"]')
    with open(download.value.path(), "rb") as handle:
        sheet = list(load_workbook(io.BytesIO(handle.read())).active.values)
    names = page.locator('[data-testid="panel"] tbody tr td:nth-child(3)').all_inner_texts()
    assert [r[2] for r in sheet[1:]] == names and len(names) == 14
    assert errors == []
