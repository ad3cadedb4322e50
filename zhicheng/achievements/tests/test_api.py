"""/api/v1/achievements/, application-materials/ and material-checklists/: every action,
scoped; bad input answers 400 in Chinese and writes nothing."""

from __future__ import annotations

import pytest

from zhicheng.achievements.models import Achievement, AchievementKind, MaterialChecklist
from zhicheng.applications import services as application_services

from .conftest import CHECKLIST_ITEMS, upload

pytestmark = pytest.mark.django_db


def test_applicant_keeps_the_library_through_the_api(api_client, world):
    client = api_client(world.applicant)
    created = client.post(
        "/api/v1/achievements/",
        {"kind": "paper", "name": "论文一", "start_date": "2023-01-01", "is_representative": True},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    proof = client.post(f"/api/v1/achievements/{pk}/proofs/", {"file": upload()})
    assert proof.status_code == 201, proof.content
    proof_id = proof.json()["id"]
    assert client.get(f"/api/v1/achievements/{pk}/proofs/{proof_id}/").status_code == 200
    listed = client.get("/api/v1/achievements/?kind=paper").json()
    assert listed["count"] == 1 and listed["results"][0]["proofs"][0]["id"] == proof_id
    changed = client.patch(f"/api/v1/achievements/{pk}/", {"name": "论文二"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "论文二"
    assert client.delete(f"/api/v1/achievements/{pk}/proofs/{proof_id}/").status_code == 204
    assert client.delete(f"/api/v1/achievements/{pk}/").status_code == 204
    assert not Achievement.objects.exists()


def test_bad_library_input_is_400_in_chinese(api_client, world):
    client = api_client(world.applicant)
    answer = client.post(
        "/api/v1/achievements/",
        {"kind": "work", "name": "单位", "start_date": "2020-01-01", "is_representative": True},
        format="json",
    )
    assert answer.status_code == 400 and "代表作" in answer.json()["detail"]
    assert not Achievement.objects.exists()


def test_library_is_the_applicants_own(api_client, world, library, make_applicant):
    paper = library[AchievementKind.PAPER]
    other = api_client(make_applicant("李娜").user)
    assert other.get(f"/api/v1/achievements/{paper.pk}/").status_code == 404
    assert other.delete(f"/api/v1/achievements/{paper.pk}/").status_code == 404
    assert other.get("/api/v1/achievements/").json()["count"] == 0
    officer = api_client(world.officers["province"])
    assert officer.get("/api/v1/achievements/").status_code == 403


def test_tick_check_and_submit_through_the_api(api_client, world, library, checklist, draft):
    app = draft()
    client = api_client(world.applicant)
    answer = client.get(f"/api/v1/application-materials/{app.pk}/").json()
    assert answer["complete"] is False
    ids = [e.pk for e in library.values()]
    ticked = client.post(
        f"/api/v1/application-materials/{app.pk}/tick/", {"achievements": ids}, format="json"
    )
    assert ticked.status_code == 200 and len(ticked.json()["ticked"]) == len(ids)
    missing = [row["name"] for row in ticked.json()["checklist"] if not row["met"]]
    assert missing == ["现职称证书", "继续教育证明"]
    refused = client.post(f"/api/v1/applications/{app.pk}/submit/", {}, format="json")
    assert refused.status_code == 400
    assert "现职称证书" in refused.json()["detail"] and "继续教育证明" in refused.json()["detail"]


def test_others_cannot_tick_or_read_a_draft(api_client, world, library, draft, make_applicant):
    app = draft()
    other = api_client(make_applicant("李娜").user)
    assert other.get(f"/api/v1/application-materials/{app.pk}/").status_code == 404
    officer = api_client(world.officers["unit_a"])
    assert officer.get(f"/api/v1/application-materials/{app.pk}/").status_code == 404
    theirs = other.post(
        f"/api/v1/application-materials/{app.pk}/tick/", {"achievements": []}, format="json"
    )
    assert theirs.status_code == 404


def test_officer_reads_ticked_proofs_of_a_submitted_application(api_client, world, library, draft):
    app = draft()
    paper = library[AchievementKind.PAPER]
    client = api_client(world.applicant)
    client.post(
        f"/api/v1/application-materials/{app.pk}/tick/",
        {"achievements": [paper.pk]},
        format="json",
    )
    application_services.application_submit(actor=world.applicant, application=app)
    officer = api_client(world.officers["unit_a"])
    answer = officer.get(f"/api/v1/application-materials/{app.pk}/").json()
    assert [t["name"] for t in answer["ticked"]] == [paper.name]
    proof = paper.proofs.get()
    url = f"/api/v1/application-materials/{app.pk}/proofs/{proof.pk}/"
    assert officer.get(url).status_code == 200
    frozen = client.post(
        f"/api/v1/application-materials/{app.pk}/tick/", {"achievements": []}, format="json"
    )
    assert frozen.status_code == 400 and "不能修改勾选" in frozen.json()["detail"]


def test_officer_maintains_checklists_through_the_api(api_client, world):
    client = api_client(world.officers["province"])
    created = client.post(
        "/api/v1/material-checklists/",
        {
            "name": "副高级评审材料",
            "level": "senior_deputy",
            "acquisition_method": "evaluation",
            "items": CHECKLIST_ITEMS,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert len(created.json()["items"]) == len(CHECKLIST_ITEMS)
    item = client.post(
        f"/api/v1/material-checklists/{pk}/items/",
        {"name": "项目证明", "source": "achievement", "achievement_kind": "project"},
        format="json",
    )
    assert item.status_code == 201
    item_id = item.json()["id"]
    assert client.delete(f"/api/v1/material-checklists/{pk}/items/{item_id}/").status_code == 204
    patched = client.patch(f"/api/v1/material-checklists/{pk}/", {"note": "说明"}, format="json")
    assert patched.status_code == 200 and patched.json()["note"] == "说明"
    listed = client.get("/api/v1/material-checklists/?level=senior_deputy").json()
    assert listed["count"] == 1
    export = client.get("/api/v1/material-checklists/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    city = api_client(world.officers["city_nj"])
    assert city.get(f"/api/v1/material-checklists/{pk}/").status_code == 200
    assert city.delete(f"/api/v1/material-checklists/{pk}/").status_code == 400
    assert client.delete(f"/api/v1/material-checklists/{pk}/").status_code == 204
    assert api_client(world.applicant).get("/api/v1/material-checklists/").status_code == 403


def test_checklist_referencing_a_deleted_category_is_400_and_writes_nothing(api_client, world):
    client = api_client(world.officers["province"])
    answer = client.post(
        "/api/v1/material-checklists/",
        {
            "name": "副高级评审材料",
            "level": "senior_deputy",
            "acquisition_method": "evaluation",
            "items": [{"name": "旧材料", "source": "attachment", "attachment_category": "old"}],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "电子档案类别“old”不存在或已删除" in str(answer.json())
    assert not MaterialChecklist.objects.exists()
