"""In Chromium, on the demo data: plan_reviewer opens 1.13, reviews committee_eng's plan (参评人员,
专家需求, 打分细则, the attachment previewed), returns it with an opinion (required); the committee
corrects its scoring rules (removal confirmed in the dialog) and submits again; the reviewer
approves. The 特殊 reviewer never sees the 正常 plan."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.plans.models import EvaluationPlan, PlanStatus

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


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


def confirm(page):
    page.locator("#confirm-modal [data-confirm-ok]").click()


def test_a_plan_is_returned_corrected_and_approved(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The plans demo's ordinary plan; the filings demo adds 第一批 and 第二批 plans.
    plan = EvaluationPlan.objects.get(is_special=False, name__endswith="高级职称评审方案")

    log_in(page, live_server, "plan_reviewer_special")
    page.click('#sidebar a[data-menu-code="1.14"]')
    expect(page.locator('[data-testid="empty-state"]')).to_be_visible()

    log_in(page, live_server, "plan_reviewer")
    page.click('#sidebar a[data-menu-code="1.13"]')
    row = page.locator("table tbody tr", has_text=plan.name)
    expect(row).to_contain_text("待审核")
    row.locator("a:has-text('审核')").click()
    expect(page.locator('[data-testid="participants"]')).to_contain_text("李娜")
    expect(page.locator('[data-testid="experts"]')).to_contain_text("正高级")
    expect(page.locator("#scoring .card-header")).to_contain_text("合计 100 / 100 分")
    attachment = page.locator('[data-testid="attachments"] a', has_text="评审工作方案.pdf")
    preview = page.request.get(live_server.url + attachment.get_attribute("href"))
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    review = page.locator('[data-testid="review-form"]')
    review.locator("input[name=approved][value='0']").check()
    review.locator("button:has-text('保存')").click()
    expect(page.locator('[data-testid="form-error"]')).to_contain_text("审核不通过须填写审核意见")
    page.locator('[data-testid="review-form"] input[name=approved][value="0"]').check()
    page.fill("#id_opinion", "答辩分值过高，请调整为20分并增加论文评价项")
    page.locator('[data-testid="review-form"] button:has-text("保存")').click()
    expect(page.locator(".alert-success")).to_contain_text("审核不通过")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REJECTED

    log_in(page, live_server, "committee_eng")
    page.click('#sidebar a[data-menu-code="1.23"]')
    page.locator("table tbody tr", has_text=plan.name).locator("a", has_text=plan.name).click()
    expect(page.locator("main")).to_contain_text("答辩分值过高")
    scoring = page.locator('[data-testid="scoring"]')
    scoring.locator("tr", has_text="答辩").locator("button:has-text('删除')").click()
    confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已移除")
    form = page.locator('[data-testid="scoring-form"]')
    form.locator("#id_name").fill("答辩")
    form.locator("#id_max_score").fill("20")
    form.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("打分细则已添加")
    page.locator('[data-testid="submit-plan"]').click()
    confirm(page)
    expect(page.locator(".alert-danger")).to_contain_text("打分细则总分应为 100 分，现为 90 分")
    form = page.locator('[data-testid="scoring-form"]')
    form.locator("#id_name").fill("论文评价")
    form.locator("#id_max_score").fill("10")
    form.locator("button").click()
    expect(page.locator("#scoring .card-header")).to_contain_text("合计 100 / 100 分")
    page.locator('[data-testid="submit-plan"]').click()
    confirm(page)
    expect(page.locator(".alert-success")).to_contain_text("已呈报，等待审核")

    log_in(page, live_server, "plan_reviewer")
    page.goto(f"{live_server.url}/plans/{plan.pk}/review/")
    page.locator('[data-testid="review-form"] input[name=approved][value="1"]').check()
    page.locator('[data-testid="review-form"] button:has-text("保存")').click()
    expect(page.locator(".alert-success")).to_contain_text("审核通过")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert list(plan.scoring.order_by("pk").values_list("name", "max_score")) == [
        ("业绩成果", 40),
        ("专业能力", 30),
        ("答辩", 20),
        ("论文评价", 10),
    ]
    assert errors == []
