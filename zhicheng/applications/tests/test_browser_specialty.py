"""In Chromium, as applicant_a: choosing 工程 in the new-application form leaves only the
specialties of its 栏目大类 in 申报专业 (no 哲学, no 临床医学)."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.applications.tests.test_browser import (  # noqa: F401  (fixtures)
    browser_errors,
    demo,
    log_in,
    patient_expect,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


def test_choosing_a_series_limits_the_specialties(page, live_server, browser_errors):  # noqa: F811
    log_in(page, live_server, "applicant_a")
    page.click("[data-testid=new-application]")
    expect(page.locator("h4", has_text="新建职称申报")).to_be_visible()
    specialty = page.locator("#id_specialty")
    expect(specialty.locator("optgroup[label=哲学]")).to_have_count(1)  # no series yet: all
    page.select_option("#id_series", label="工程")
    expect(specialty.locator("optgroup[label=哲学]")).to_have_count(0)
    expect(specialty.locator("optgroup[label=医学]")).to_have_count(0)
    expect(specialty.locator("optgroup[label=工学]")).to_have_count(1)
    page.select_option("#id_specialty", label="　机械制造及其自动化（080201）")
    assert browser_errors == []
