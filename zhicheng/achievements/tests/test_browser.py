"""In Chromium, on the demo data: the province requires 继续教育 ≥ 120 学时 for 助理级 认定;
张伟's 认定 助理工程师 draft (his library ticked in, 90 学时) is refused naming the missing item;
he adds a 继续教育 entry with its proof to his 个人业绩库, ticks it into the application, sees
every item ticked, and submits."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.achievements import services
from zhicheng.achievements.models import ItemSource
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.samples import pdf_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    services.checklist_create(
        actor=User.objects.get(username="hr_province"),
        name="助理级职称认定申报材料",
        level=TitleLevel.ASSISTANT,
        acquisition_method=AcquisitionMethod.RECOGNITION,
        items=[
            {"name": "身份证", "source": ItemSource.ATTACHMENT, "attachment_category": "id_card"},
            {"name": "学历证书", "source": ItemSource.ATTACHMENT, "attachment_category": "diploma"},
            {
                "name": "继续教育证明",
                "source": ItemSource.ACHIEVEMENT,
                "achievement_kind": "continuing_education",
                "min_hours": 120,
            },
        ],
    )


def log_in(page, live_server, username, password=DEMO_PASSWORD):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("#sidebar")).to_be_visible()


def test_blocked_by_a_missing_item_completed_and_submitted(page, live_server, demo, tmp_path):
    expect.set_options(timeout=20_000)
    draft = Application.objects.get(
        applicant__username="applicant_a",
        status=ApplicationStatus.DRAFT,
        acquisition_method=AcquisitionMethod.RECOGNITION,
    )
    log_in(page, live_server, "applicant_a")
    page.goto(f"{live_server.url}/applications/{draft.pk}/")
    checklist = page.locator("[data-testid=material-checklist]")
    expect(checklist.locator("[data-met='0']")).to_have_count(1)
    expect(checklist.locator("[data-met='0']")).to_contain_text("继续教育证明")
    page.click("[data-testid=submit]")
    error = page.locator(".alert-danger.alert-dismissible")
    expect(error).to_contain_text("申报材料不齐全")
    expect(error).to_contain_text("继续教育证明")
    expect(error).to_contain_text("需不少于 120")

    # 个人业绩库: a new 继续教育 entry with its proof.
    page.click('#sidebar a[data-menu-code="x.achievements"]')
    page.click(".list-toolbar a:has-text('新增业绩')")
    page.select_option("#id_kind", "continuing_education")
    page.fill("#id_name", "2026年专业科目继续教育")
    page.fill("#id_start_date", "2026-01-10")
    page.fill("#id_hours", "40")
    page.click("button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("已新增业绩")
    proof = tmp_path / "学时证明.pdf"
    proof.write_bytes(pdf_bytes())
    page.set_input_files("#id_file", str(proof))
    page.click("[data-testid=proof-form] button[type=submit]")
    expect(page.locator("[data-testid=proof]")).to_contain_text("学时证明.pdf")

    # Tick it into the application: every item is then met.
    page.goto(f"{live_server.url}/applications/{draft.pk}/")
    page.click("[data-testid=tick-achievements]")
    page.check("label:has-text('2026年专业科目继续教育') >> xpath=../.. >> input[type=checkbox]")
    page.click("[data-testid=save-ticks]")
    expect(page.locator(".alert-success")).to_contain_text("已保存本次申报勾选的业绩")
    expect(page.locator("[data-testid=material-checklist] [data-met='0']")).to_have_count(0)
    page.click("a:has-text('申报详情')")
    page.click("[data-testid=submit]")
    expect(page.locator(".alert-success")).to_contain_text("申报已提交")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.UNDER_REVIEW
    assert draft.achievement_links.count() == 8
