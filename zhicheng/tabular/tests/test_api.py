"""The API: POST /api/v1/organizations/import/, POST /api/v1/imports/<id>/commit/,
GET /api/v1/organizations/export/."""

import pytest
from django.utils import timezone

from zhicheng.orgs import selectors
from zhicheng.orgs.models import Organization
from zhicheng.tabular import services
from zhicheng.tabular.models import ExportJob, ExportStatus, ImportBatch, export_stall_after
from zhicheng.tabular.tests.conftest import build_xlsx, make_uscc, read_xlsx, response_bytes

IMPORT_URL = "/api/v1/organizations/import/"


def post_file(client, data: bytes, name: str = "机构.xlsx", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def test_import_returns_the_preview(api_client, hr_city, org_row):
    bad = org_row(2)
    bad[1] = "bad"
    response = post_file(api_client(hr_city), build_xlsx([org_row(1), bad]))
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == ImportBatch.objects.get().pk
    assert (body["total"], body["valid"], body["invalid"]) == (2, 1, 1)
    assert body["errors"] == [{"row": 3, "message": "统一社会信用代码应为18位，当前为3位"}]
    assert not Organization.objects.filter(uscc=make_uscc(1)).exists()


def test_commit_imports_the_valid_rows_once(api_client, hr_city, org_row):
    client = api_client(hr_city)
    batch_id = post_file(client, build_xlsx([org_row(1), org_row(2)])).json()["id"]
    first = client.post(f"/api/v1/imports/{batch_id}/commit/")
    assert first.status_code == 200
    assert first.json() | {"id": 0} == {
        "id": 0,
        "status": "committed",
        "created": 2,
        "already_committed": False,
        "total": 2,
        "valid": 2,
        "invalid": 0,
    }
    second = client.post(f"/api/v1/imports/{batch_id}/commit/")
    assert second.status_code == 200
    assert (second.json()["created"], second.json()["already_committed"]) == (0, True)
    assert Organization.objects.filter(uscc__in=[make_uscc(1), make_uscc(2)]).count() == 2


def test_the_preview_can_be_read_again(api_client, hr_city, org_row):
    client = api_client(hr_city)
    batch_id = post_file(client, build_xlsx([org_row(1)])).json()["id"]
    response = client.get(f"/api/v1/imports/{batch_id}/")
    assert response.status_code == 200
    assert response.json()["valid"] == 1


def test_someone_elses_batch_is_not_found(api_client, hr_city, hr_province, org_row):
    batch_id = post_file(api_client(hr_city), build_xlsx([org_row(1)])).json()["id"]
    other = api_client(hr_province)
    assert other.post(f"/api/v1/imports/{batch_id}/commit/").status_code == 404
    assert other.get(f"/api/v1/imports/{batch_id}/").status_code == 404
    assert other.post("/api/v1/imports/999999/commit/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a,b,c\n1,2,3\n", "请上传 Excel 工作簿（.xlsx）"),
        (b"PK\x03\x04broken", "已损坏"),
    ],
)
def test_a_bad_file_is_a_400_with_a_chinese_detail(api_client, hr_city, data, message):
    response = post_file(api_client(hr_city), data)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert ImportBatch.objects.count() == 0


def test_a_missing_file_is_a_400(api_client, hr_city):
    response = api_client(hr_city).post(IMPORT_URL, {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["detail"]


def test_a_commit_refused_after_a_change_is_a_400_listing_the_rows(
    api_client, hr_city, orgs, org_row
):
    client = api_client(hr_city)
    batch_id = post_file(client, build_xlsx([org_row(1, parent="unit_k")])).json()["id"]
    client.post(f"/api/v1/organizations/{orgs['unit_k'].pk}/deregister/")
    response = client.post(f"/api/v1/imports/{batch_id}/commit/")
    assert response.status_code == 400
    body = response.json()
    assert "本次未导入任何数据" in body["detail"]
    assert body["errors"] == [{"row": 2, "message": "上级机构已注销，不能在其下新增机构"}]


def test_import_needs_the_add_permission(api_client, applicant, org_row):
    assert post_file(api_client(applicant), build_xlsx([org_row(1)])).status_code == 403


def test_anonymous_requests_are_refused(api_client, org_row):
    assert post_file(api_client(), build_xlsx([org_row(1)])).status_code in (401, 403)
    assert api_client().get("/api/v1/organizations/export/").status_code in (401, 403)


def test_export_returns_the_filtered_scoped_rows_as_xlsx(api_client, hr_city):
    response = api_client(hr_city).get("/api/v1/organizations/export/", {"org_type": "employer"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(response_bytes(response))
    listed = selectors.organization_list(user=hr_city, org_type="employer")
    assert [r[1] for r in rows[1:]] == list(listed.values_list("uscc", flat=True))


def test_a_small_export_stays_in_the_request(api_client, hr_city, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10_000
    response = api_client(hr_city).get("/api/v1/organizations/export/")
    assert response.status_code == 200
    assert len(read_xlsx(response_bytes(response))) > 2
    assert not ExportJob.objects.filter(background=True).exists()


def test_a_large_export_goes_to_the_job_queue_with_a_job_url(
    api_client, hr_city, settings, huey_immediate, django_capture_on_commit_callbacks
):
    """Issue 9: 307k rows held a gunicorn worker for 15 s. From the threshold on, 202 + job."""
    settings.EXPORT_BACKGROUND_THRESHOLD = 3
    client = api_client(hr_city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/organizations/export/", {"org_type": "employer"})
    assert response.status_code == 202
    job = ExportJob.objects.get(background=True)
    body = response.json()
    job_url = f"http://testserver/api/v1/export-jobs/{job.pk}/"
    assert (body["id"], body["url"], response["Location"]) == (job.pk, job_url, job_url)
    assert body["status"] in ("pending", "done")
    assert job.params == {"org_type": "employer"}

    progress = client.get(job_url).json()
    listed = list(
        selectors.organization_list(user=hr_city, org_type="employer").values_list(
            "uscc", flat=True
        )
    )
    assert (progress["status"], progress["percent"]) == ("done", 100)
    assert progress["done"] == progress["total"] == len(listed) >= 3
    assert progress["download"] == f"{job_url}download/"
    download = client.get(progress["download"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [r[1] for r in read_xlsx(response_bytes(download))[1:]] == listed


def test_a_browser_session_cannot_be_made_to_export_from_another_site(api_client, hr_city):
    client = api_client(hr_city)  # session-like: no token
    url = "/api/v1/organizations/export/"
    assert client.get(url, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert not ExportJob.objects.exists()
    assert client.get(url, HTTP_SEC_FETCH_SITE="same-origin").status_code == 200


def test_an_export_job_is_its_owners_only(api_client, hr_city, hr_province):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=3)
    services.export_job_run(job_id=job.pk)
    url = f"/api/v1/export-jobs/{job.pk}/"
    for path in (url, f"{url}download/"):
        assert api_client(hr_province).get(path).status_code == 404  # a superior, not the owner
        assert api_client().get(path).status_code in (401, 403)
        assert api_client(hr_city).get(path).status_code == 200
    assert api_client(hr_city).get("/api/v1/export-jobs/999999/").status_code == 404


def test_a_job_not_finished_has_no_download(api_client, hr_city):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=3)
    body = api_client(hr_city).get(f"/api/v1/export-jobs/{job.pk}/").json()
    assert (body["status"], body["download"], body["interrupted"]) == ("pending", None, False)
    assert api_client(hr_city).get(f"/api/v1/export-jobs/{job.pk}/download/").status_code == 404


def test_an_interrupted_job_says_so(api_client, hr_city):
    job = ExportJob.objects.create(
        key="organizations",
        actor=hr_city,
        background=True,
        status=ExportStatus.RUNNING,
        attempt=1,
        heartbeat_at=timezone.now() - export_stall_after() * 2,
    )
    body = api_client(hr_city).get(f"/api/v1/export-jobs/{job.pk}/").json()
    assert (body["status"], body["interrupted"]) == ("interrupted", True)
    assert body["status_display"] == "已中断（正在重新排队）"


def test_the_schema_documents_both_answers_of_an_export(api_client, hr_city):
    schema = api_client(hr_city).get("/api/schema/", {"format": "json"}).json()
    responses = schema["paths"]["/api/v1/organizations/export/"]["get"]["responses"]
    assert set(responses) >= {"200", "202", "400", "403"}
    assert list(responses["200"]["content"]) == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ]
    job_schema = responses["202"]["content"]["application/json"]["schema"]["$ref"]
    assert job_schema.endswith("/ExportJob")
    assert "/api/v1/export-jobs/{id}/" in schema["paths"]
    assert "/api/v1/export-jobs/{id}/download/" in schema["paths"]


def test_export_needs_the_view_permission(api_client, applicant):
    assert api_client(applicant).get("/api/v1/organizations/export/").status_code == 403


def test_the_schema_documents_import_and_export(api_client, hr_city):
    response = api_client(hr_city).get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/v1/organizations/import/" in paths
    assert "/api/v1/organizations/export/" in paths
    assert "/api/v1/imports/{id}/commit/" in paths
