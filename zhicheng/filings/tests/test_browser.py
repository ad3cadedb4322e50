"""In Chromium: the committee publishes the passed list (the end date computed), records an
objection and upholds it, sends the results for filing once the period has ended; the province's
HR officer files them in 1.15; the title held appears in 证书发放 (1.17) as 未发放."""

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from zhicheng.conftest import PASSWORD
from zhicheng.filings.tests.conftest import ORDINARY_MONDAY

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")


def test_publish_object_send_and_file(
    page, live_server, reseeded, closed_plan, participants, committee_user, hr_province, today
):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    upheld = participants[1].application.person.name
    kept = participants[0].application.person.name

    log_in(page, live_server, committee_user.username)
    page.click('#sidebar a[data-menu-code="x.publicity"]')
    page.locator("table tbody tr", has_text=closed_plan.name).locator("a:has-text('查看')").click()
    form = page.locator('[data-testid="publish-form"]')
    form.locator("input[name=starts_on]").fill(ORDINARY_MONDAY.isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator(".detail-fields")).to_contain_text("2026-11-09 至 2026-11-13")

    objection = page.locator('[data-testid="objection-form"]')
    objection.locator("select[name=participant]").select_option(label=upheld)
    objection.locator("textarea[name=content]").fill("论文抄袭")
    objection.locator("input[name=source]").fill("实名来信")
    objection.locator("button[type=submit]").click()
    resolve = page.locator('[data-testid="resolve-form"]')
    resolve.locator("input[name=upheld][value='1']").check()
    resolve.locator("textarea[name=resolution]").fill("经核查论文存在抄袭")
    resolve.locator("button[type=submit]").click()
    expect(page.locator('[data-testid="removed-list"]')).to_contain_text("经核查论文存在抄袭")
    expect(page.locator('[data-testid="passed-list"]').first).not_to_contain_text(upheld)

    today(dt.date(2026, 11, 16))
    page.reload()
    page.click('[data-testid="send-filing"]')
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator("body")).to_contain_text("已报送备案")

    log_in(page, live_server, hr_province.username)
    page.click('#sidebar a[data-menu-code="1.15"]')
    row = page.locator("table tbody tr", has_text=closed_plan.name)
    expect(row).to_contain_text("待备案")
    row.locator("a:has-text('审核')").click()
    expect(page.locator('[data-testid="passed-list"]')).to_contain_text(kept)
    review = page.locator('[data-testid="review-form"]')
    review.locator("input[name=approved][value='1']").check()
    review.locator("textarea[name=opinion]").fill("同意备案")
    review.locator("input[name=filing_number]").fill("苏职备〔2026〕8号")
    review.locator("input[name=filed_on]").fill("2026-11-16")
    review.locator("button[type=submit]").click()
    expect(page.locator("table tbody tr", has_text=closed_plan.name)).to_contain_text("审核通过")

    page.click('#sidebar a[data-menu-code="1.17"]')
    issue = page.locator("table tbody")
    expect(issue).to_contain_text(kept)
    expect(issue).not_to_contain_text(upheld)
    assert not errors, errors
