"""Pages: the applicant's 个人业绩库 (list, 新增, 证明材料, 删除), the ticking into an application
with its checklist, the application detail for officers, and the officers' 申报材料清单."""

from __future__ import annotations

import datetime as dt

import pytest

from zhicheng.achievements import services
from zhicheng.achievements.models import Achievement, AchievementKind, MaterialChecklist
from zhicheng.applications import services as application_services

from .conftest import upload

pytestmark = pytest.mark.django_db


def test_applicant_keeps_the_library_on_the_pages(client, world):
    client.force_login(world.applicant)
    assert "新增业绩" in client.get("/achievements/").content.decode()
    bad = client.post(
        "/achievements/new/",
        {"kind": "continuing_education", "name": "继续教育", "start_date": "2025-01-01"},
    )
    assert "继续教育请填写学时" in bad.content.decode()
    assert not Achievement.objects.exists()
    created = client.post(
        "/achievements/new/",
        {
            "kind": "paper",
            "name": "柔性调度研究",
            "issuer": "机械工程学报",
            "start_date": "2022-03-01",
            "is_representative": "on",
        },
    )
    entry = Achievement.objects.get()
    assert created["Location"] == f"/achievements/{entry.pk}/"
    client.post(f"/achievements/{entry.pk}/", {"file": upload()})
    page = client.get(f"/achievements/{entry.pk}/").content.decode()
    assert "scan.png" in page and "代表作" in page
    proof = entry.proofs.get()
    assert client.get(f"/achievements/proofs/{proof.pk}/file/").status_code == 200
    listed = client.get("/achievements/").content.decode()
    assert "柔性调度研究" in listed and "确定删除业绩" in listed
    deleted = client.post(f"/achievements/{entry.pk}/delete/")
    assert deleted["Location"] == "/achievements/"
    assert not Achievement.objects.exists()


def test_another_users_entry_and_proof_are_404(client, world, library, make_applicant):
    other = make_applicant("李娜").user
    client.force_login(other)
    paper = library[AchievementKind.PAPER]
    assert client.get(f"/achievements/{paper.pk}/").status_code == 404
    proof = paper.proofs.get()
    assert client.get(f"/achievements/proofs/{proof.pk}/file/").status_code == 404
    assert client.post(f"/achievements/{paper.pk}/delete/").status_code == 404


def test_new_application_form_is_prefilled_from_the_library(client, world, library):
    client.force_login(world.applicant)
    page = client.get("/applications/new/").content.decode()
    assert "南京工业大学" in page and "2015-06-30" in page


def test_tick_page_shows_checklist_and_saves_ticks(client, world, library, checklist, draft):
    app = draft()
    client.force_login(world.applicant)
    page = client.get(f"/achievements/applications/{app.pk}/").content.decode()
    assert "现职称证书" in page and 'data-met="0"' in page
    paper = library[AchievementKind.PAPER]
    client.post(f"/achievements/applications/{app.pk}/", {"achievement": [paper.pk]})
    assert list(app.achievement_links.values_list("achievement_id", flat=True)) == [paper.pk]
    detail = client.get(f"/applications/{app.pk}/").content.decode()
    assert "智能装配线的柔性调度研究" in detail and "申报材料清单" in detail


def test_officer_sees_ticked_entries_and_proofs_on_the_application(client, world, library, draft):
    app = draft()
    paper = library[AchievementKind.PAPER]
    services.application_achievements_set(
        actor=world.applicant, application=app, achievement_ids=[paper.pk]
    )
    app = application_services.application_submit(actor=world.applicant, application=app)
    client.force_login(world.officers["unit_a"])
    detail = client.get(f"/applications/{app.pk}/").content.decode()
    assert "智能装配线的柔性调度研究" in detail and "代表作" in detail
    proof = paper.proofs.get()
    assert client.get(f"/achievements/applications/{app.pk}/proofs/{proof.pk}/").status_code == 200
    unticked = library[AchievementKind.WORK].proofs.get()
    url = f"/achievements/applications/{app.pk}/proofs/{unticked.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/achievements/{paper.pk}/").status_code in (403, 404)


def test_officer_maintains_a_checklist_on_the_pages(client, world):
    client.force_login(world.officers["province"])
    created = client.post(
        "/achievements/checklists/new/",
        {"name": "中级认定材料", "level": "intermediate", "acquisition_method": "recognition"},
    )
    checklist = MaterialChecklist.objects.get()
    assert created["Location"] == f"/achievements/checklists/{checklist.pk}/"
    bad = client.post(
        f"/achievements/checklists/{checklist.pk}/",
        {"name": "学历证书", "source": "attachment", "min_count": 1},
    )
    assert "请选择电子档案类别" in bad.content.decode()
    client.post(
        f"/achievements/checklists/{checklist.pk}/",
        {
            "name": "继续教育证明",
            "source": "achievement",
            "achievement_kind": "continuing_education",
            "min_count": 1,
            "min_hours": 90,
        },
    )
    page = client.get(f"/achievements/checklists/{checklist.pk}/").content.decode()
    assert "继续教育证明" in page and "学时不少于 90" in page
    assert "中级认定材料" in client.get("/achievements/checklists/").content.decode()
    item = checklist.items.get()
    client.post(f"/achievements/checklists/{checklist.pk}/items/{item.pk}/delete/")
    assert not checklist.items.exists()
    client.post(f"/achievements/checklists/{checklist.pk}/delete/")
    assert not MaterialChecklist.objects.exists()


def test_city_officer_reads_but_cannot_change_the_provinces_checklist(client, world, checklist):
    client.force_login(world.officers["city_nj"])
    page = client.get(f"/achievements/checklists/{checklist.pk}/").content.decode()
    assert "添加材料" not in page
    client.post(f"/achievements/checklists/{checklist.pk}/delete/")
    assert MaterialChecklist.objects.filter(pk=checklist.pk).exists()


def test_applicant_cannot_open_checklists(client, world, checklist):
    client.force_login(world.applicant)
    assert client.get("/achievements/checklists/").status_code == 403


def test_date_in_the_future_is_refused(client, world):
    client.force_login(world.applicant)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page = client.post(
        "/achievements/new/", {"kind": "award", "name": "奖", "start_date": future}
    ).content.decode()
    assert "不能晚于今天" in page


def test_checklist_is_shown_while_uploading(client, world, checklist, draft):
    app = draft()
    client.force_login(world.applicant)
    page = client.get(f"/applications/{app.pk}/attachments/").content.decode()
    assert 'data-testid="material-checklist"' in page and "现职称证书" in page
