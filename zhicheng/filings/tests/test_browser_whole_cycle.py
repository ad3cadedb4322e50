"""In Chromium, the whole cycle of issue 12 and 13: an approved plan → the committee draws its
panel → the seated experts score and vote on 我的评审 → the committee closes the meeting and sees
the tallies, one participant cut by the pass-rate cap with the reason → 评后公示 across the 2026
National Day holiday (the end date skips it) → an objection upheld → 报送备案 → the province's HR
officer files the results (1.15) → the titles held → the passed participant in 证书发放 (1.17)
gets a certificate (the job's progress reaches 100 %)."""
# ruff: noqa: F811 — the fixtures imported from the meetings tests are requested by name.

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhicheng.applications.tests.conftest import specialty
from zhicheng.certificates import services as certificate_services
from zhicheng.certificates.models import Certificate
from zhicheng.certificates.tests.conftest import huey_immediate  # noqa: F401  (fixture)
from zhicheng.conftest import PASSWORD
from zhicheng.experts.models import PanelDraw, PanelRole
from zhicheng.meetings import services as meeting_services
from zhicheng.meetings.models import Meeting
from zhicheng.meetings.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    committee_user,
    draft,
    fill_pool,
    make_applicant,
    private_media,
    qualified,
    reviewer,
    submitted,
    world,
)
from zhicheng.plans import services as plan_services
from zhicheng.titles.models import TitleHolding

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.django_db(transaction=True)]

# 2026-09-29 (Tue) + 5 working days: 09-29, 09-30, then 国庆节 10-01..10-07 skipped, 10-08,
# 10-09 and the 调休 Saturday 10-10.
STARTS_ON = dt.date(2026, 9, 29)
ENDS_ON = dt.date(2026, 10, 10)
# 业绩成果 (60) + 答辩 (40) each seated expert gives: 张伟 first, 参评2 last.
SCORES = {"张伟": ("58", "38"), "参评1": ("54", "34"), "参评2": ("48", "30")}


@pytest.fixture(autouse=True)
def patient_expect():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text("退出")


def confirm(page):
    page.locator("#confirm-modal [data-confirm-ok]").click()


@pytest.fixture
def cycle_plan(world, committee_user, reviewer, qualified, fill_pool):
    """An approved plan of three participants (张伟, 参评1, 参评2; 副高级), 3 正高级 experts of
    080201 needed (6 in the pool), scoring 业绩成果 60 + 答辩 40; the 2026 副高级 cap set to 67 %
    (3 participants → at most 2 pass)."""
    plan = plan_services.plan_create(
        actor=committee_user, name="2026年度工程系列高级评审方案", year=2026
    )
    apps = qualified(3)
    plan_services.plan_participants_add(
        actor=committee_user, plan=plan, application_ids=[a.pk for a in apps]
    )
    plan_services.expert_requirement_add(
        actor=committee_user, plan=plan, specialty=specialty("080201"),
        level="senior_full", count=3,
    )  # fmt: skip
    for name, max_score in (("业绩成果", 60), ("答辩", 40)):
        plan_services.scoring_item_add(
            actor=committee_user, plan=plan, name=name, max_score=max_score
        )
    plan_services.plan_submit(actor=committee_user, plan=plan)
    plan_services.plan_review(actor=reviewer, plan=plan, approved=True)
    for expert in fill_pool(6):
        expert.account.set_password(PASSWORD)
        expert.account.must_change_password = False
        expert.account.save()
    level = apps[0].title.level
    assert level == "senior_deputy"
    meeting_services.pass_rate_cap_set(
        actor=world.officers["province"], year=2026, level=level, max_percent=67
    )
    plan.refresh_from_db()
    return plan


def test_the_whole_cycle(
    page, live_server, reseeded, cycle_plan, committee_user, hr_province, orgs, huey_immediate
):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    plan = cycle_plan

    # 1. The committee draws the panel on the plan's panel page.
    log_in(page, live_server, committee_user.username)
    page.goto(f"{live_server.url}/experts/plans/{plan.pk}/panel/")
    expect(page.locator('[data-testid="no-panel"]')).to_be_visible()
    page.click('[data-testid="draw-form"] button[type=submit]')
    confirm(page)
    expect(page.locator('[data-testid="panel"] tbody tr')).to_have_count(6)
    draw = PanelDraw.objects.get(plan=plan)
    seats = sorted(draw.members.select_related("expert__account"), key=lambda m: m.order)
    members = [m.expert for m in seats if m.role == PanelRole.MEMBER]
    assert len(members) == 3

    # 2. The committee opens the meeting and records the members present.
    page.goto(f"{live_server.url}/meetings/plans/{plan.pk}/")
    page.click('[data-testid="open-form"] button[type=submit]')
    confirm(page)
    attendance = page.locator('[data-testid="attendance-form"]')
    for expert in members:
        attendance.locator(f"input[name=present][value='{expert.pk}']").check()
    attendance.locator("button[type=submit]").click()
    expect(page.locator('[data-testid="close-check"]')).to_contain_text("到会参加评审 3 名")

    # 3. Each seated expert scores and votes on 我的评审.
    items = list(plan.scoring.order_by("pk"))
    for expert in members:
        log_in(page, live_server, expert.account.username)
        for name, values in SCORES.items():
            page.click('#sidebar a[data-menu-code="x.reviews"]')
            page.locator("tr", has_text=name).locator("a:has-text('评审')").click()
            form = page.locator('[data-testid="score-form"]')
            for item, value in zip(items, values, strict=True):
                form.locator(f"input[name=item_{item.pk}]").fill(value)
            form.locator("button[type=submit]").click()
            expect(page.locator('[data-testid="score-total"]')).to_contain_text(
                str(sum(int(v) for v in values))
            )
            page.click('[data-testid="vote-form"] button[value=agree]')
            expect(page.locator('[data-testid="my-vote"]')).to_have_text("我的表决：同意")

    # 4. The committee checks, closes, and sees the tallies and the cut participant's reason.
    log_in(page, live_server, committee_user.username)
    page.goto(f"{live_server.url}/meetings/plans/{plan.pk}/")
    check = page.locator('[data-testid="close-check"]')
    expect(check).to_contain_text("已表决 9 / 9")
    expect(page.locator('[data-testid="cap-preview"]')).to_contain_text("67%")
    page.click('[data-testid="close-form"] button[type=submit]')
    confirm(page)
    results = page.locator('[data-testid="results"]')
    for name in SCORES:
        expect(results.locator("tr", has_text=name)).to_contain_text("3 / 3 / 0 / 0")
    expect(results.locator("tr", has_text="张伟")).to_contain_text("通过")
    cut = results.locator("tr", has_text="参评2")
    expect(cut).to_contain_text("未通过")
    expect(cut).to_contain_text("通过率上限 67%（参评 3 人最多通过 2 人），按得分排名第 3 名未进入")
    # The meeting took place before the National Day holiday (the test runs later in 2026).
    Meeting.objects.filter(plan=plan).update(
        closed_at=dt.datetime(2026, 9, 28, 10, 0, tzinfo=dt.UTC)
    )

    # 5. 评后公示 across the holiday, an objection upheld, then 报送备案 (the period is over).
    page.click('#sidebar a[data-menu-code="x.publicity"]')
    page.locator("table tbody tr", has_text=plan.name).locator("a:has-text('查看')").click()
    form = page.locator('[data-testid="publish-form"]')
    form.locator("input[name=starts_on]").fill(STARTS_ON.isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator(".detail-fields")).to_contain_text(
        f"{STARTS_ON:%Y-%m-%d} 至 {ENDS_ON:%Y-%m-%d}"
    )
    passed = page.locator('[data-testid="passed-list"]').first
    expect(passed).to_contain_text("参评1")
    expect(passed).not_to_contain_text("参评2")
    objection = page.locator('[data-testid="objection-form"]')
    objection.locator("select[name=participant]").select_option(label="参评1")
    objection.locator("textarea[name=content]").fill("业绩材料不实")
    objection.locator("input[name=source]").fill("实名来信")
    objection.locator("button[type=submit]").click()
    resolve = page.locator('[data-testid="resolve-form"]')
    resolve.locator("input[name=upheld][value='1']").check()
    resolve.locator("textarea[name=resolution]").fill("经核查业绩材料不实")
    resolve.locator("button[type=submit]").click()
    expect(page.locator('[data-testid="removed-list"]')).to_contain_text("经核查业绩材料不实")
    expect(page.locator('[data-testid="passed-list"]').first).not_to_contain_text("参评1")
    page.click('[data-testid="send-filing"]')
    confirm(page)
    expect(page.locator("body")).to_contain_text("已报送备案")

    # 6. The province's HR officer files the results (1.15): the titles are held.
    filed_on = timezone.localdate()
    log_in(page, live_server, hr_province.username)
    page.click('#sidebar a[data-menu-code="1.15"]')
    row = page.locator("table tbody tr", has_text=plan.name)
    expect(row).to_contain_text("待备案")
    row.locator("a:has-text('审核')").click()
    filed = page.locator('[data-testid="passed-list"]')
    expect(filed).to_contain_text("张伟")
    expect(filed).not_to_contain_text("参评1")
    review = page.locator('[data-testid="review-form"]')
    review.locator("input[name=approved][value='1']").check()
    review.locator("textarea[name=opinion]").fill("同意备案")
    review.locator("input[name=filing_number]").fill("苏职备〔2026〕12号")
    review.locator("input[name=filed_on]").fill(filed_on.isoformat())
    review.locator("button[type=submit]").click()
    expect(page.locator("table tbody tr", has_text=plan.name)).to_contain_text("审核通过")
    holding = TitleHolding.objects.get(application__plan_participations__plan=plan)
    assert holding.application.person.name == "张伟"

    # 7. 证书发放 (1.17): the passed participant gets a certificate, the job reaching 100 %.
    unit = certificate_services.issuing_unit_create(
        actor=hr_province, organization=orgs["province"], code="32000001"
    )
    certificate_services.certificate_numbers_generate(
        actor=hr_province, issuing_unit=unit, year=filed_on.year, start=1, end=10
    )
    page.click('#sidebar a[data-menu-code="1.17"]')
    page.select_option("#id_issued", "0")
    page.click("button:has-text('查询')")
    expect(page.locator('[data-testid="total"]')).to_have_text("共 1 条")
    listing = page.locator("table tbody")
    expect(listing).to_contain_text("张伟")
    expect(listing).not_to_contain_text("参评1")
    expect(listing).not_to_contain_text("参评2")
    page.locator("tr", has_text="张伟").locator("input[name=holding]").check()
    page.click('[data-testid="issue"]')
    confirm(page)
    progress = page.locator('[data-testid="issue-job-progress"]')
    expect(progress).to_have_attribute("data-status", "finished")
    expect(page.locator('[data-testid="issue-job-percent"]')).to_have_text("100")
    expect(progress).to_contain_text("已发放 1 份")
    certificate = Certificate.objects.get()
    assert certificate.holding == holding
    assert errors == []
