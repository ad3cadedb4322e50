"""In Chromium, on the demo data: the city bureau's home shows its 待办 with counts that lead
to the lists, and this year's applications drawn by ECharts (vendored, no console error)."""

import os

import pytest
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "patient_expect"),
]


def test_the_bureau_home_shows_its_todo_and_the_chart(page, live_server, log_in):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, "hr_city")
    todo = page.locator('[data-testid=todo] [data-todo="todo"]')
    expect(todo).to_be_visible()
    expect(page.locator('[data-testid=todo] [data-todo="to_issue"]')).to_be_visible()
    chart = page.locator("#status-chart[data-ready='1'] canvas")
    expect(chart).to_have_count(1)
    count = int(todo.locator("[data-count]").inner_text())
    todo.click()
    expect(page.locator("h4.page-title")).to_contain_text("资格审核")
    if count:
        expect(page.locator("#list-results tbody tr[data-application]")).to_have_count(count)
    assert errors == []
