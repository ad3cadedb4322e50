"""/api/v1/applications/: the whole path through the API, on the same services as the pages."""

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.applications.models import ApplicationStatus, AttachmentCategory, ReturnReason
from zhicheng.common.security import FILE_POLICY

from .conftest import PERSONAL_DATA, pdf_bytes, specialty, title_named, upload

BASE = "/api/v1/applications/"


def _create_payload(world, kind="evaluation"):
    method, title_name = {
        "evaluation": ("evaluation", "高级工程师"),
        "initial": ("initial", "助理工程师"),
    }[kind]
    payload = {
        "acquisition_method": method,
        "title": title_named(title_name).pk,
        "specialty": specialty("080201").pk,
        "employer": world.orgs["unit_a"].pk,
        "integrity_pledged": True,
        "notice_acknowledged": True,
        "work_experiences": [{"start_date": "2015-07-15", "organization_name": "南京江宁智能装备"}],
        **{k: str(v) for k, v in PERSONAL_DATA.items()},
    }
    if method == "evaluation":
        payload["committee"] = world.committee.pk
    return payload


@pytest.fixture
def api_app(world, api_client):
    """An evaluation application created, completed and submitted through the API."""
    client = api_client(world.applicant)
    response = client.post(BASE, _create_payload(world), format="json")
    assert response.status_code == 201, response.json()
    app_id, version = response.json()["id"], response.json()["version"]
    for category in (AttachmentCategory.ID_CARD, AttachmentCategory.DIPLOMA):
        response = client.post(
            f"{BASE}{app_id}/attachments/",
            {"category": category, "file": upload()},
            format="multipart",
        )
        assert response.status_code == 201, response.json()
    response = client.post(f"{BASE}{app_id}/submit/", {"version": version}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_applicant_creates_attaches_and_submits(world, api_app):
    assert api_app["status"] == ApplicationStatus.UNDER_REVIEW
    assert api_app["current_organization_name"] == "南京江宁智能装备有限公司"
    assert [node["name"] for node in api_app["route"]][-1] == "江苏省工程技术研究会"
    assert len(api_app["attachments"]) == 2
    assert api_app["work_experiences"][0]["organization_name"] == "南京江宁智能装备"


def test_a_refused_submission_is_a_400_with_the_reason(world, api_client):
    client = api_client(world.applicant)
    payload = {**_create_payload(world), "integrity_pledged": False}
    app_id = client.post(BASE, payload, format="json").json()["id"]
    response = client.post(f"{BASE}{app_id}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "诚信承诺" in response.json()["detail"]


def test_officers_approve_return_and_pass_returns_down(world, api_app, api_client):
    app_id = api_app["id"]
    unit = api_client(world.officers["unit_a"])
    response = unit.post(f"{BASE}{app_id}/approve/", {"version": api_app["version"]}, format="json")
    assert response.status_code == 200, response.json()
    assert "南京市江宁区工业和信息化局" in response.json()["message"]
    dept = api_client(world.officers["dept_jn_it"])
    response = dept.post(
        f"{BASE}{app_id}/return/",
        {"opinion": "业绩材料不足", "reasons": [ReturnReason.PERFORMANCE]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["current_organization_name"] == "南京江宁智能装备有限公司"
    assert response.json()["returned_from_name"] == "南京市江宁区工业和信息化局"
    response = unit.post(f"{BASE}{app_id}/return-for-supplement/", {}, format="json")
    assert response.json()["status"] == ApplicationStatus.RETURNED


def test_a_stale_version_gets_already_handled(world, api_app, api_client):
    app_id, version = api_app["id"], api_app["version"]
    unit = api_client(world.officers["unit_a"])
    unit.post(f"{BASE}{app_id}/approve/", {"version": version}, format="json")
    response = unit.post(
        f"{BASE}{app_id}/return/", {"opinion": "x", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("该申报已被处理")


def test_return_without_opinion_and_bad_reasons_are_400_in_chinese(world, api_app, api_client):
    unit = api_client(world.officers["unit_a"])
    response = unit.post(f"{BASE}{api_app['id']}/return/", {"opinion": ""}, format="json")
    assert response.status_code == 400 and "审核意见" in response.json()["detail"]
    response = unit.post(
        f"{BASE}{api_app['id']}/return/", {"opinion": "x", "reasons": ["nope"]}, format="json"
    )
    assert response.status_code == 400
    assert "reasons" in response.json()


def test_an_applicant_cannot_approve(world, api_app, api_client):
    response = api_client(world.applicant).post(f"{BASE}{api_app['id']}/approve/", {})
    assert response.status_code == 403


def test_out_of_scope_is_404_for_officers_and_other_applicants(
    world, api_app, api_client, make_user, make_applicant
):
    suzhou = make_user(world.orgs["city_sz"], Role.HR_OFFICER)
    other = make_applicant("李娜").user
    for user in (suzhou, other):
        client = api_client(user)
        assert client.get(f"{BASE}{api_app['id']}/").status_code == 404
        assert client.get(f"{BASE}{api_app['id']}/timeline/").status_code == 404
        attachment = api_app["attachments"][0]["url"]
        assert client.get(attachment).status_code == 404
    response = api_client(suzhou).post(f"{BASE}{api_app['id']}/approve/", {}, format="json")
    assert response.status_code == 404
    assert api_client(suzhou).get(BASE, {"scope": "all"}).json()["count"] == 0


def test_out_of_scope_is_404_even_with_a_bad_body_or_a_refusal(
    world, api_app, api_client, make_user
):
    # The review actions ask scope only when the service refuses: every refusal of an
    # application out of scope must still be a 404, never its reason.
    suzhou = api_client(make_user(world.orgs["city_sz"], Role.HR_OFFICER))
    url = f"{BASE}{api_app['id']}"
    assert suzhou.post(f"{url}/approve/", {"opinion": "x" * 3000}, format="json").status_code == 404
    assert suzhou.post(f"{url}/return/", {"opinion": ""}, format="json").status_code == 404
    assert suzhou.post(f"{url}/return-for-supplement/", {}, format="json").status_code == 404
    # In scope but not their turn: the reason, with where it is now.
    province = api_client(world.officers["province"])
    response = province.post(f"{url}/approve/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("该申报已被处理（当前待“南京江宁智能装备有限公司”")


def test_an_approval_reads_and_writes_in_seven_statements(world, api_app, api_client):
    # The locked read, the blacklist test, the organizations' names, the update, the
    # review record, the operation log and the applicant's 消息: the busiest write of the
    # system, kept lean.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = api_client(world.officers["unit_a"])
    unit.get(f"{BASE}{api_app['id']}/")  # the officer's roles are cached from here on
    with CaptureQueriesContext(connection) as captured:
        response = unit.post(f"{BASE}{api_app['id']}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]
    assert len(statements) == 7, statements
    assert "南京市江宁区工业和信息化局" in response.json()["message"]
    assert response.json()["current_organization_name"] == "南京市江宁区工业和信息化局"


@pytest.mark.parametrize("pk", ["abc", "0", str(2**70), "-1"])
@pytest.mark.parametrize("action", ["approve", "return", "return-for-supplement"])
def test_review_actions_on_nonsense_ids_are_404(world, api_client, pk, action):
    response = api_client(world.officers["unit_a"]).post(
        f"{BASE}{pk}/{action}/", {"opinion": "x"}, format="json"
    )
    assert response.status_code == 404


def test_the_timeline_hides_officer_names_from_the_applicant(world, api_app, api_client):
    unit = api_client(world.officers["unit_a"])
    unit.post(f"{BASE}{api_app['id']}/approve/", {"opinion": "同意"}, format="json")
    mine = api_client(world.applicant).get(f"{BASE}{api_app['id']}/timeline/").json()
    assert [r["actor_name"] for r in mine["records"]] == ["本人", None]
    assert mine["records"][1]["opinion"] == "同意"
    assert "南京市江宁区工业和信息化局" in mine["where"]
    theirs = api_client(world.officers["province"]).get(f"{BASE}{api_app['id']}/timeline/")
    assert theirs.json()["records"][1]["actor_name"] == world.officers["unit_a"].real_name or (
        theirs.json()["records"][1]["actor_name"] == world.officers["unit_a"].username
    )


def test_the_todo_list_shows_what_waits_at_my_organization(world, api_app, api_client):
    unit = api_client(world.officers["unit_a"]).get(BASE, {"scope": "todo"}).json()
    assert [row["id"] for row in unit["results"]] == [api_app["id"]]
    county = api_client(world.officers["county_jn"]).get(BASE, {"scope": "todo"}).json()
    assert county["count"] == 0
    everything = api_client(world.officers["county_jn"]).get(BASE, {"scope": "all"}).json()
    assert everything["count"] == 1


def test_id_numbers_are_masked_on_lists_and_whole_on_detail_only_for_hr(world, api_app, api_client):
    from auditlog.models import LogEntry

    row = api_client(world.officers["unit_a"]).get(BASE).json()["results"][0]
    assert "*" in row["id_number"]
    province = api_client(world.officers["province"])
    row = province.get(BASE).json()["results"][0]
    assert row["id_number"] == world.zhang.masked_id_number  # a list masks, whatever the rights
    detail = api_client(world.officers["unit_a"]).get(f"{BASE}{api_app['id']}/").json()
    assert "*" in detail["id_number"]
    assert province.get(f"{BASE}{api_app['id']}/").json()["id_number"] == world.zhang.id_number
    logged = LogEntry.objects.filter(additional_data__operation="view_id_number").get()
    assert logged.additional_data["summary"] == f"查看身份证号：{world.zhang.name}"


def test_batch_approve(world, api_app, api_client):
    response = api_client(world.officers["unit_a"]).post(
        f"{BASE}batch-approve/",
        {"items": [{"id": api_app["id"], "version": api_app["version"]}, {"id": 999999}]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["approved"] == [api_app["id"]]
    assert body["refused"] == [{"id": 999999, "reason": "申报不存在或无权访问"}]


def test_attachment_is_served_inline_only_through_the_authorised_view(world, api_app, api_client):
    url = api_app["attachments"][0]["url"]
    response = api_client(world.officers["unit_a"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Nothing in it may run; only this origin's pages may frame it.
    assert response["Content-Security-Policy"] == FILE_POLICY
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_fake_pdf_is_refused_by_content(world, api_client, draft):
    app = draft("evaluation", complete=False)
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {
            "category": "other",
            "file": upload("evil.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "不是有效的PDF、JPG或PNG文件" in response.json()["detail"]
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("ok.bin", pdf_bytes(), "application/octet-stream")},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["content_type"] == "application/pdf"


def test_the_applicant_deletes_an_attachment_of_a_draft(world, api_client, draft):
    app = draft("evaluation")
    attachment = app.attachments.first()
    client = api_client(world.applicant)
    response = client.delete(f"{BASE}{app.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 204
    assert app.attachments.count() == 1


def test_employer_search_and_options_for_the_form(world, api_client):
    client = api_client(world.applicant)
    found = client.get(f"{BASE}employers/", {"search": "智能装备"}).json()["results"]
    assert [org["name"] for org in found] == ["南京江宁智能装备有限公司"]
    assert client.get(f"{BASE}employers/", {"search": "人力资源"}).json()["results"] == []
    options = client.get(
        f"{BASE}options/",
        {
            "acquisition_method": "initial",
            "title": title_named("助理工程师").pk,
            "employer": world.orgs["unit_a"].pk,
        },
    ).json()
    assert options["acceptance_office"]["name"] == "南京市人力资源和社会保障局"
    assert "<strong>须知</strong>" in options["acceptance_office"]["notice_html"]
    options = client.get(
        f"{BASE}options/",
        {
            "acquisition_method": "evaluation",
            "title": title_named("高级工程师").pk,
            "specialty": specialty("080201").pk,
        },
    ).json()
    assert [c["id"] for c in options["committees"]] == [world.committee.pk]


def test_export_is_an_xlsx_of_the_scoped_list(world, api_app, api_client):
    response = api_client(world.officers["unit_a"]).get(f"{BASE}export/", {"scope": "all"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"PK")


def test_bad_filters_are_400_never_500(world, api_client):
    response = api_client(world.officers["unit_a"]).get(BASE, {"status": "nope", "year": "x"})
    assert response.status_code == 400


def test_anonymous_is_401(api_client, db):
    assert api_client().get(BASE).status_code in (401, 403)


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "params",
    [
        {"title": HUGE},
        {"year": HUGE},
        {"name": "张\x00伟"},
        {"id_number": "3201\x00"},
        {"scope": "all", "status": "\x00"},
    ],
)
def test_crafted_filters_are_never_a_500(world, api_client, params):
    response = api_client(world.officers["province"]).get(BASE, params)
    assert response.status_code in (200, 400)
    export = api_client(world.officers["province"]).get(f"{BASE}export/", params)
    assert export.status_code in (200, 400)


def test_crafted_ids_are_never_a_500(world, api_client, api_app):
    officer = api_client(world.officers["unit_a"])
    assert officer.get(f"{BASE}{HUGE}/").status_code == 404
    assert officer.get(f"{BASE}{api_app['id']}/attachments/{HUGE}/").status_code == 404
    response = officer.post(f"{BASE}batch-approve/", {"items": [{"id": HUGE}]}, format="json")
    assert response.status_code in (200, 400)
    assert response.json().get("approved", []) == []
    applicant = api_client(world.applicant)
    assert applicant.get(f"{BASE}employers/", {"search": "智能\x00"}).status_code == 200
    options = applicant.get(
        f"{BASE}options/", {"acquisition_method": "initial", "title": HUGE, "employer": HUGE}
    )
    assert options.status_code == 400  # an id beyond any id is refused, as the schema says
    response = applicant.post(
        BASE, {**_create_payload(world), "employer": HUGE, "title": HUGE}, format="json"
    )
    assert response.status_code == 400


# --- the API contract (issue 9): answers as the schema says ------------------------------------


def test_changing_the_year_of_an_application_is_not_a_server_error(world, api_client, draft):
    app = draft("evaluation", complete=False)
    response = api_client(world.applicant).patch(f"{BASE}{app.pk}/", {"year": 2000}, format="json")
    assert response.status_code == 200  # the year is fixed at creation: not a field to change
    app.refresh_from_db()
    assert app.year != 2000


def test_an_attachment_of_another_application_is_404(world, api_client, draft):
    # Another series: one open application per 职称系列.
    first = draft("evaluation")
    second = draft("recognition", title=title_named("实验师", "laboratory"))
    attachment = second.attachments.first()
    client = api_client(world.applicant)
    for method in (client.get, client.delete):
        response = method(f"{BASE}{first.pk}/attachments/{attachment.pk}/")
        assert response.status_code == 404
    assert second.attachments.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize("params", [{"year": "0"}, {"status": "AAA"}, {"page": "null"}])
def test_an_applicants_bad_list_filter_is_400_too(world, api_client, params):
    response = api_client(world.applicant).get(BASE, params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "params", [{"title": "null"}, {"employer": "0"}, {"acquisition_method": "AAA"}]
)
def test_bad_form_options_are_400(world, api_client, params):
    response = api_client(world.applicant).get(f"{BASE}options/", params)
    assert response.status_code == 400


def test_a_number_where_text_is_expected_is_refused(world, api_client, submitted):
    app = submitted("evaluation")
    response = api_client(world.officers["unit_a"]).post(
        f"{BASE}{app.pk}/return/", {"opinion": 0, "reasons": ["other"]}, format="json"
    )
    assert response.status_code == 400
    assert "opinion" in response.json()


# --- the 详情 read (issue 15): what the serializer shows, nothing loaded later -------------------


@pytest.mark.parametrize("viewer", ["applicant", "unit_a", "province"])
def test_the_detail_answer_reads_four_statements_and_no_deferred_field(
    world, api_app, api_client, monkeypatch, viewer
):
    from django.db import connection
    from django.db.models import Model
    from django.test.utils import CaptureQueriesContext

    from zhicheng.applications import services
    from zhicheng.blacklist.models import BlacklistReason
    from zhicheng.blacklist.services import blacklist_entry_create

    # Returned from above (返回 names the organization), blacklisted, on a committee's route:
    # every related name the answer shows is set.
    app_id = api_app["id"]
    services.application_approve(actor=world.officers["unit_a"], application=app_id)
    services.application_return(
        actor=world.officers["dept_jn_it"], application=app_id, opinion="补充业绩"
    )
    blacklist_entry_create(
        actor=world.officers["province"],
        person=world.zhang,
        reason=BlacklistReason.FALSE_MATERIALS,
        document_number="苏人社职〔2026〕9号",
        start_date=world.today,
    )
    user = world.applicant if viewer == "applicant" else world.officers[viewer]
    client = api_client(user)
    client.get(f"{BASE}{app_id}/")  # the viewer's roles are cached from here on

    def deferred_load(self, *args, **kwargs):
        raise AssertionError(f"deferred field loaded: {type(self).__name__} {kwargs}")

    monkeypatch.setattr(Model, "refresh_from_db", deferred_load)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{BASE}{app_id}/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_blacklisted"] is True
    assert body["returned_from_name"] == "南京市江宁区工业和信息化局"
    assert body["committee_name"] == world.committee.name
    assert body["can_review"] is (viewer == "unit_a")
    assert [node["name"] for node in body["route"]][0] == "南京江宁智能装备有限公司"
    assert len(body["attachments"]) == 2 and body["work_experiences"]
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    # The application with its names, the work history, the attachments, the route's names.
    assert len(reads) == 4, reads


@pytest.mark.parametrize("path", ["", "attachments/", "timeline/"])
def test_others_get_404_for_an_application_and_its_attachments(
    world, api_client, api_app, draft, make_applicant, make_user, path
):
    other = api_client(make_applicant("李娜").user)
    outsider = api_client(make_user(world.orgs["city_sz"], Role.HR_OFFICER))
    for client in (other, outsider):
        assert client.get(f"{BASE}{api_app['id']}/{path}").status_code == 404
    unit = api_client(world.officers["unit_a"])
    assert unit.get(f"{BASE}{api_app['id']}/{path}").status_code == 200
    # Nobody but the applicant sees a draft, nor may upload to another's.
    li = make_applicant("王芳")
    pending = draft("evaluation", user=li.user)
    assert unit.get(f"{BASE}{pending.pk}/{path}").status_code == 404
    response = other.post(
        f"{BASE}{pending.pk}/attachments/",
        {"category": AttachmentCategory.OTHER, "file": upload()},
        format="multipart",
    )
    assert response.status_code == 404
    assert pending.attachments.count() == 2
