"""At 390×844 (a phone), in Chromium, on the demo data: content comes first and nothing is wider
than the screen. The officers' menu is an off-canvas panel opened by 菜单; the applicant (who
has no menu) sees 我的申报 at once; wide tables scroll sideways instead of squeezing each cell
to a character a line; the detail page does not overflow. At desktop width the menu stays."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.applications.models import Application

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "patient_expect"),
]

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_the_applicant_sees_his_workspace_first_and_the_form_fits(page, live_server, log_in):
    page.set_viewport_size(PHONE)
    log_in(page, "applicant_a")
    page.goto(f"{live_server.url}/persons/workspace/")
    title = page.locator("h4.page-title", has_text="我的申报")
    expect(title).to_be_visible()
    assert on_first_screen(title)
    assert on_first_screen(page.locator("[data-testid=new-application]"))
    # His one menu entry (个人业绩库) waits behind the toggle; it does not fill the screen.
    expect(page.locator('#sidebar a[data-menu-code="x.achievements"]')).to_be_hidden()
    assert fits_the_screen(page)

    page.click("[data-testid=new-application]")
    expect(page.locator("h4", has_text="新建职称申报")).to_be_visible()
    assert fits_the_screen(page)


def test_an_officer_opens_the_menu_from_the_toggle_and_the_list_scrolls(page, live_server, log_in):
    page.set_viewport_size(PHONE)
    log_in(page, "hr_city")
    page.goto(f"{live_server.url}/applications/trace/")
    title = page.locator("h4.page-title")
    expect(title).to_be_visible()
    assert on_first_screen(title)
    menu_entry = page.locator('#sidebar a[data-menu-code="1.12"]')
    expect(menu_entry).to_be_hidden()
    assert fits_the_screen(page)
    # A wide table scrolls inside its own box.
    wrapper = page.locator("#list-results .table-responsive").first
    expect(wrapper).to_be_visible()
    assert wrapper.evaluate("el => el.scrollWidth > el.clientWidth")

    page.click("[data-testid=menu-toggle]")
    expect(menu_entry).to_be_visible()
    menu_entry.click()
    expect(page.locator("h4.page-title")).to_contain_text("资格审核")


def test_the_detail_and_its_review_records_read_on_a_phone(page, live_server, log_in):
    app = (
        Application.objects.filter(applicant__username="applicant_a")
        .exclude(status="draft")
        .order_by("pk")
        .first()
    )
    page.set_viewport_size(PHONE)
    log_in(page, "applicant_a")
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    expect(page.locator("[data-testid=timeline]")).to_be_visible()
    assert fits_the_screen(page)
    # 时间 (e.g. 2026-11-20 09:30) stays on one line: the table does not squeeze its cells.
    first_cell = page.locator("[data-testid=timeline] tbody tr td").first
    line = page.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight) || 24")
    assert first_cell.bounding_box()["height"] < 2 * line + 12


def test_at_desktop_width_the_menu_is_always_there(page, live_server, log_in):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "hr_city")
    expect(page.locator('#sidebar a[data-menu-code="1.12"]')).to_be_visible()
    expect(page.locator("[data-testid=menu-toggle]")).to_be_hidden()
