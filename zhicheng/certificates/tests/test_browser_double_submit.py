"""A double click or two quick submits of a POST form send one request (web/static/web/app.js):
发放证书 double-clicked (and its confirmation double-clicked) issues one certificate with one
POST; a form submitted twice from script or by Enter sends one POST too."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.certificates.models import Certificate, IssuingUnit
from zhicheng.certificates.tests.test_browser import log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def count_posts(page, path: str) -> list[str]:
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url) if request.method == "POST" and path in request.url else None
        ),
    )
    return posts


def test_double_clicking_issue_issues_one_certificate_with_one_post(
    page, live_server, hr_city, nj_unit, pool, held, huey_immediate
):
    held(1)
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issue/?issued=0")
    posts = count_posts(page, "/certificates/issue/do/")
    page.locator("input[name=holding]").first.check()
    page.locator('[data-testid="issue"]').dblclick()
    page.locator("#confirm-modal [data-confirm-ok]").dblclick()
    expect(page.locator('[data-testid="issue-job-progress"]')).to_contain_text("已发放 1 份")
    expect(page.locator(".alert-danger")).to_have_count(0)
    assert Certificate.objects.count() == 1
    assert len(posts) == 1, posts


def test_a_form_submitted_twice_quickly_posts_once(page, live_server, hr_city, nj_unit):
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issuing-units/{nj_unit.pk}/edit/")
    posts = count_posts(page, f"/issuing-units/{nj_unit.pk}/edit/")
    page.fill("#id_code", "32010002")
    # Two submits before the page leaves: from script (no submitter) and by Enter in a field.
    page.evaluate(
        "() => { const f = document.querySelector('form.form-page');"
        " f.requestSubmit(); f.requestSubmit(); }"
    )
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert len(posts) == 1, posts
    assert IssuingUnit.objects.get(pk=nj_unit.pk).code == "32010002"


def test_the_shared_script_lets_only_the_first_of_two_submits_through(
    page, live_server, hr_city, nj_unit
):
    """What reaches the browser's navigation: submit events nobody prevented. Two in a row
    (before the page leaves) must be one, whatever started them."""
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issuing-units/{nj_unit.pk}/edit/")
    through = page.evaluate(
        """() => {
          let through = 0;
          window.addEventListener("submit", (e) => {
            if (!e.defaultPrevented) through += 1;
            e.preventDefault();  // stay on the page to count
          });
          const form = document.querySelector("form.form-page");
          form.requestSubmit();
          form.requestSubmit();
          form.querySelector("#id_code").dispatchEvent(new Event("submit", {bubbles: true}));
          return through;
        }"""
    )
    assert through == 1
    expect(page.locator("button[type=submit]:has-text('保存')")).to_be_disabled()


def test_a_page_restored_from_the_back_forward_cache_can_submit_again(
    page, live_server, hr_city, nj_unit
):
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issuing-units/{nj_unit.pk}/edit/")
    page.fill("#id_code", "32010003")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.go_back()
    expect(page.locator("button[type=submit]:has-text('保存')")).to_be_enabled()


def test_the_clicked_buttons_name_and_value_are_still_posted(page, live_server, hr_city, nj_unit):
    """The submit buttons are disabled on submit, and a disabled button is left out of the
    posted data: the clicked one's name and value (我的评审's 表决 同意 …) are posted anyway."""
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issuing-units/{nj_unit.pk}/edit/")
    posted = page.evaluate(
        """() => {
          let posted = null;
          window.addEventListener("submit", (e) => {
            posted = new FormData(e.target).getAll("choice");
            e.preventDefault();  // stay on the page
          });
          const form = document.querySelector("form.form-page");
          const button = document.createElement("button");
          button.type = "submit";
          button.name = "choice";
          button.value = "agree";
          form.appendChild(button);
          button.click();
          return [posted, button.disabled];
        }"""
    )
    assert posted == [["agree"], True]
