"""In Chromium, on the demo data (password Demo@2026), the whole path of 1.12 / 1.24:

- applicant_a applies for 高级工程师 (评审) → unit_a approves → each level approves → the city
  bureau returns it → 退回补充材料 level by level down to the applicant → he edits and
  resubmits → every level and finally committee_eng approve → he is qualified;
- a 初定 application → 批量审核通过 at the employer, each level, approved at the acceptance
  office (the city bureau) → the title is held;
- a blacklisted person registers, applies and is refused with the reason;
- the form works when used before its scripts at the end of the page have run.
"""

import os
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.common.samples import pdf_bytes, png_bytes
from zhicheng.persons.models import Person
from zhicheng.titles.models import TitleHolding

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]


@pytest.fixture(autouse=True)
def patient_expect():
    # The machine runs several suites at once: give assertions time under load.
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


@pytest.fixture
def scans(tmp_path):
    png, pdf = tmp_path / "身份证.png", tmp_path / "毕业证书.pdf"
    png.write_bytes(png_bytes(80, 50))
    pdf.write_bytes(pdf_bytes())
    return {"id_card": str(png), "diploma": str(pdf)}


@pytest.fixture
def browser_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def withdraw_demo_assistant_draft() -> None:
    """The demo leaves applicant_a a 认定 助理工程师 draft: open, so (one open application per
    职称系列) a new 工程系列 application waits until it is withdrawn."""
    from zhicheng.applications import services

    draft = Application.objects.get(
        applicant__username="applicant_a",
        status=ApplicationStatus.DRAFT,
        title__name="助理工程师",
    )
    services.application_withdraw(actor=draft.applicant, application=draft)


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")


def fill_application(
    page, *, method: str, title: str, employer: str = "智能装备", more_work: tuple = ()
):
    """The new-application form, step by step, as an applicant fills it; ``more_work``: further
    work-history rows ``(start date, organization)`` added with 添加一行."""
    page.click("[data-testid=new-application]")
    expect(page.locator("h4", has_text="新建职称申报")).to_be_visible()
    page.check(f"input[name=acquisition_method][value={method}]")
    page.select_option("#id_series", label="工程")  # once: its titles arrive by HTMX
    title_option = page.locator("#id_title option", has_text=re.compile(f"^{title}（"))
    expect(title_option).to_have_count(1)
    page.select_option("#id_title", label=title_option.inner_text())
    page.select_option("#id_specialty", label="　机械制造及其自动化（080201）")
    page.fill("#id_employer_search", employer)
    page.keyboard.press("Enter")
    page.locator("[data-typeahead-item]", has_text=employer).first.click()
    options = page.locator("[data-testid=form-options]")
    if method == "evaluation":
        expect(options).to_contain_text("江苏省工程技术高级职称评审委员会")
        options.locator("input[name=committee]").first.check()
        # The section reloads on each choice (hx-sync replaces a request in flight): the
        # choice must survive in its last version.
        expect(options.locator("input[name=committee]").first).to_be_checked()
    else:
        expect(options.locator("[data-testid=notice]")).to_contain_text("申报前阅读本须知")
        expect(options.locator("[data-testid=office-name]")).to_have_text(
            "南京市人力资源和社会保障局"
        )
        page.check("#id_notice_acknowledged")
        expect(page.locator("#id_notice_acknowledged")).to_be_checked()
    page.select_option("#id_education", "bachelor")
    page.fill("#id_school", "南京工业大学")
    page.fill("#id_major", "机械设计制造及其自动化")
    page.fill("#id_graduation_date", "2010-06-30")
    page.fill("#id_work_start_date", "2010-07-15")
    page.fill("#id_work-0-start_date", "2010-07-15")
    page.fill("#id_work-0-organization_name", "南京江宁智能装备有限公司")
    for index, (start, organization) in enumerate(more_work, start=1):
        page.click("[data-testid=work-add]")
        page.fill(f"#id_work-{index}-start_date", start)
        page.fill(f"#id_work-{index}-organization_name", organization)
    page.check("#id_integrity_pledged")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("申报已保存为草稿")


def upload_scans(page, scans):
    for category, path in scans.items():
        page.select_option("#id_category", category)
        page.set_input_files("#id_file", path)
        page.click("[data-testid=upload-form] button[type=submit]")
        expect(page.locator(".alert-success")).to_contain_text("已上传")
    expect(page.locator("[data-testid=attachment]")).to_have_count(2)
    expect(page.locator("[data-testid=attachment] img")).to_have_count(1)


def submit_from_detail(page, button="submit"):
    page.click("a:has-text('申报详情')")
    page.click(f"[data-testid={button}]")
    expect(page.locator(".alert-success")).to_contain_text("送“南京江宁智能装备有限公司”审核")


def review(page, live_server, username, app, decision="approve", opinion="", reasons=()):
    """As ``username``: open 1.12 (待我审核), open the application, decide."""
    log_in(page, live_server, username)
    page.click('#sidebar a[data-menu-code="1.12"]')
    row = page.locator(f"#list-results tbody tr[data-application='{app.pk}']")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="审核", exact=True).click()
    form = page.locator("[data-testid=review-form]")
    form.locator(f"input[name=decision][value={decision}]").check()
    for reason in reasons:
        form.locator(f"input[name=reasons][value={reason}]").check()
    if opinion:
        form.locator("#id_opinion").fill(opinion)
    form.locator("[data-testid=review-submit]").click()
    return page.locator(".alert-success")


SENIOR_CHAIN = ["unit_a", "dept_jn_it", "hr_county_jn", "hr_city", "hr_province"]


def test_evaluation_climbs_every_level_with_a_return_and_resubmission(
    page, live_server, scans, browser_errors
):
    withdraw_demo_assistant_draft()
    log_in(page, live_server, "applicant_a")
    fill_application(page, method="evaluation", title="高级工程师")
    upload_scans(page, scans)
    submit_from_detail(page)
    app = Application.objects.get(
        applicant__username="applicant_a",
        title__name="高级工程师",
        status=ApplicationStatus.UNDER_REVIEW,
    )

    expect(review(page, live_server, "unit_a", app, opinion="同意推荐")).to_contain_text(
        "已推送至“南京市江宁区工业和信息化局”待审"
    )
    review(page, live_server, "dept_jn_it", app)
    review(page, live_server, "hr_county_jn", app)
    returned = review(
        page,
        live_server,
        "hr_city",
        app,
        decision="return",
        opinion="业绩证明缺少单位盖章，请补充",
        reasons=["performance"],
    )
    expect(returned).to_contain_text("已退回至“南京市江宁区人力资源和社会保障局”")

    # The county sees the return flagged and passes it down, level by level.
    log_in(page, live_server, "hr_county_jn")
    page.click('#sidebar a[data-menu-code="1.12"]')
    flagged = page.locator(f"#list-results tr[data-application='{app.pk}']")
    expect(flagged.locator("[data-testid=returned-flag]")).to_be_visible()
    for username in ("hr_county_jn", "dept_jn_it", "unit_a"):
        review(page, live_server, username, app, decision="return_for_supplement")

    # The applicant reads the message, edits and resubmits.
    log_in(page, live_server, "applicant_a")
    messages = page.locator("[data-testid=my-messages]")
    expect(messages).to_contain_text("业绩证明缺少单位盖章，请补充")
    expect(messages).to_contain_text("业绩材料不足或不符合申报条件")
    row = page.locator(f"[data-testid=my-applications] tr[data-application='{app.pk}']")
    expect(row).to_contain_text("已退回")
    row.locator("a:has-text('编辑')").click()
    page.fill("#id_current_title_name", "工程师")
    page.fill("#id_current_title_date", "2016-12-01")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("申报已保存")
    page.click("[data-testid=resubmit]")
    expect(page.locator(".alert-success")).to_contain_text("申报已重新提交")

    for username in SENIOR_CHAIN:
        review(page, live_server, username, app)
    done = review(page, live_server, "committee_eng", app, opinion="同意参加评审")
    expect(done).to_contain_text("取得参加“江苏省工程技术高级职称评审委员会”评审的资格")

    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED
    # 1.24 过程跟踪 as the province officer: every step, with officers' names.
    log_in(page, live_server, "hr_province")
    page.goto(f"{live_server.url}/applications/{app.pk}/timeline/")
    timeline = page.locator("[data-testid=timeline] tbody tr")
    expect(timeline).to_have_count(app.review_records.count())
    expect(page.locator("[data-testid=timeline]")).to_contain_text("南京市局经办")
    # The committee qualified the applicant for evaluation: no title is held yet.
    committee = "江苏省工程技术高级职称评审委员会"
    expect(page.locator("[data-testid=where-now]")).to_contain_text(
        f"资格审核通过，待“{committee}”评审"
    )
    expect(page.locator("[data-testid=where-now]")).not_to_contain_text("已生效")
    last_step = page.locator("[data-testid=timeline] tbody tr").last
    expect(last_step).to_contain_text(committee)
    expect(last_step).to_contain_text("待评审")
    # The applicant's own timeline hides the officers' names.
    log_in(page, live_server, "applicant_a")
    newest = page.locator("[data-testid=my-messages] li").first
    expect(newest).to_contain_text(f"{committee}资格审核通过，待评审")
    expect(newest).not_to_contain_text("申报已生效")
    page.goto(f"{live_server.url}/applications/{app.pk}/timeline/")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("退回补充材料")
    expect(page.locator("[data-testid=timeline]")).not_to_contain_text("南京市局经办")
    assert browser_errors == []


def test_initial_application_approved_at_the_acceptance_office_holds_the_title(
    page, live_server, scans, browser_errors
):
    withdraw_demo_assistant_draft()
    log_in(page, live_server, "applicant_a")
    fill_application(page, method="initial", title="助理工程师")
    upload_scans(page, scans)
    submit_from_detail(page)

    # 批量审核通过 at the employer: tick the row, confirm.
    log_in(page, live_server, "unit_a")
    page.click('#sidebar a[data-menu-code="1.12"]')
    app = Application.objects.filter(applicant__username="applicant_a").latest("pk")
    row = page.locator(f"#list-results tbody tr[data-application='{app.pk}']")
    row.locator("[data-row-select]").check()
    page.click("[data-testid=batch-approve]")
    page.locator("#confirm-modal [data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("批量审核通过 1 件")

    review(page, live_server, "dept_jn_it", app)
    review(page, live_server, "hr_county_jn", app)
    expect(review(page, live_server, "hr_city", app)).to_contain_text(
        "申报已生效：张伟取得助理工程师职称"
    )

    holding = TitleHolding.objects.filter(
        person__user__username="applicant_a", title__name="助理工程师"
    ).latest("pk")
    assert holding.application.acquisition_method == "initial"
    assert holding.application.year == timezone.localdate().year  # not the demo's last year
    assert holding.approving_organization.name == "南京市人力资源和社会保障局"
    log_in(page, live_server, "applicant_a")
    expect(page.locator("[data-testid=my-messages]")).to_contain_text("审核通过，申报已生效")
    assert browser_errors == []


def test_a_blacklisted_person_is_refused_with_the_reason(page, live_server, scans, browser_errors):
    wang = Person.objects.get(name="王强")  # listed by the Nanjing bureau in the demo
    page.goto(f"{live_server.url}/register/")
    page.fill("#id_name", "王强")
    page.fill("#id_id_number", wang.id_number)
    page.fill("#id_mobile", "13851000003")
    page.fill("#id_password1", "Wq@2026pass")
    page.fill("#id_password2", "Wq@2026pass")
    page.click("button[type=submit]")
    expect(page.locator("h4", has_text="我的申报")).to_be_visible()
    fill_application(page, method="evaluation", title="高级工程师", employer="智能装备")
    upload_scans(page, scans)
    page.click("a:has-text('申报详情')")
    page.click("[data-testid=submit]")
    error = page.locator(".alert-danger.alert-dismissible")  # the refusal message
    expect(error).to_contain_text("您已被列入失信黑名单")
    expect(error).to_contain_text("以其他不正当手段取得职称")
    expect(error).to_contain_text("南京市人力资源和社会保障局")
    expect(page.locator("[data-testid=blacklist-alert]")).to_contain_text("期限内不得申报职称")
    assert Application.objects.get(person=wang).status == ApplicationStatus.DRAFT
    assert browser_errors == []


def held_back(page, pattern: str):
    """Hold the page's requests for ``pattern`` (a script at the end of the page) until the
    returned ``release()``: the page is shown and usable before that script has run."""
    routes = []
    page.route(pattern, lambda route: routes.append(route))

    def release() -> None:
        for _ in range(100):
            if routes:
                break
            page.wait_for_timeout(50)
        assert routes, f"{pattern} was never requested"
        for route in routes:
            route.continue_()

    return release


def test_a_series_chosen_before_htmx_started_still_gets_its_titles(
    page, live_server, browser_errors
):
    """htmx attaches its listeners on DOMContentLoaded, after the scripts at the end of the
    page; a series chosen before had nobody to hear its change (the titles never came: the
    flaky runs). When htmx starts it loads the titles of the series shown."""
    log_in(page, live_server, "applicant_a")
    release = held_back(page, "**/htmx.min.js")
    page.click("[data-testid=new-application]")
    expect(page.locator("h4", has_text="新建职称申报")).to_be_visible()
    page.select_option("#id_series", label="工程")
    assert page.evaluate("typeof window.htmx") == "undefined"
    release()
    expect(page.locator("#id_title option", has_text=re.compile("^高级工程师（"))).to_have_count(1)
    assert browser_errors == []


def test_add_a_row_waits_for_its_script(page, live_server, browser_errors):
    """添加一行 works by work_history.js: disabled until the script has bound it, so a click
    cannot fall into the gap before (it did nothing then)."""
    log_in(page, live_server, "applicant_a")
    release = held_back(page, "**/work_history.js")
    page.click("[data-testid=new-application]")
    add = page.locator("[data-testid=work-add]")
    expect(add).to_be_disabled()
    release()
    add.click()
    expect(page.locator("[data-testid=work-history] tbody tr")).to_have_count(2)
    assert browser_errors == []


def test_work_history_starts_with_one_blank_row_and_adds_rows(page, live_server, browser_errors):
    withdraw_demo_assistant_draft()
    log_in(page, live_server, "applicant_a")
    page.click("[data-testid=new-application]")
    rows = page.locator("[data-testid=work-history] tbody tr")
    expect(rows).to_have_count(1)
    page.click("[data-testid=work-add]")
    expect(rows).to_have_count(2)
    page.go_back()
    fill_application(
        page, method="initial", title="助理工程师", more_work=(("2005-09-01", "南京机床厂"),)
    )
    app = Application.objects.filter(applicant__username="applicant_a").latest("pk")
    assert [w.organization_name for w in app.work_experiences.order_by("start_date")] == [
        "南京机床厂",
        "南京江宁智能装备有限公司",
    ]
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/")
    expect(rows).to_have_count(3)  # the two saved rows and one blank row
    expect(page.locator("#id_work-2-organization_name")).to_have_value("")
    assert browser_errors == []


def test_a_tick_on_the_notice_survives_a_reload_sent_before_it(page, live_server, browser_errors):
    """④ reloads on each choice; a response to a choice made just before ticking 申报须知 knew
    nothing of the tick and replaced it with an unticked box (the flaky CI runs; a quick
    applicant's tick was lost the same way). The tick is kept while the office stays the same,
    and asked again when the office is chosen anew."""
    log_in(page, live_server, "applicant_a")
    page.click("[data-testid=new-application]")
    # The listener goes on the form's page: evaluating during the navigation found no body.
    expect(page.locator("input[name=acquisition_method][value=initial]")).to_be_visible()
    page.evaluate(
        """window.optionSwaps = 0;
        document.body.addEventListener("htmx:afterSettle", (e) => {
            if (e.target.id === "form-options") window.optionSwaps += 1;
        });"""
    )
    page.check("input[name=acquisition_method][value=initial]")
    page.select_option("#id_series", label="工程")
    title_option = page.locator("#id_title option", has_text=re.compile("^助理工程师（"))
    expect(title_option).to_have_count(1)
    page.select_option("#id_title", label=title_option.inner_text())
    office = page.locator("[data-testid=office-name]")
    expect(office).to_have_text("南京市人力资源和社会保障局")  # the employer is his own
    held: list = []
    page.route("**/form/options/**", lambda route: held.append(route))
    page.select_option("#id_specialty", label="　机械制造及其自动化（080201）")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    page.check("#id_notice_acknowledged")
    swaps = page.evaluate("window.optionSwaps")
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function("swaps => window.optionSwaps > swaps", arg=swaps)  # no eval: CSP
    page.unroute("**/form/options/**")
    expect(page.locator("#id_notice_acknowledged")).to_be_checked()
    expect(office).to_have_text("南京市人力资源和社会保障局")

    page.fill("#id_employer_search", "智能装备")  # typing drops the choice: ④ follows
    expect(office).to_have_count(0)
    page.keyboard.press("Enter")
    page.locator("[data-typeahead-item]", has_text="智能装备").first.click()
    expect(office).to_have_text("南京市人力资源和社会保障局")
    expect(page.locator("#id_notice_acknowledged")).not_to_be_checked()
    assert browser_errors == []
