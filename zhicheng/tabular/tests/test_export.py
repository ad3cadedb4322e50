"""Exports: same rows as the list (filters and scope), neutralised formulas, masked 身份证号,
background jobs with progress, downloads only for the owner, audit."""

import pytest
from auditlog.models import LogEntry
from django.db.models import CharField, Value
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.roles import Role
from zhicheng.orgs import selectors
from zhicheng.orgs.models import OrgType
from zhicheng.orgs.services import organization_create
from zhicheng.orgs.views import OrganizationListView
from zhicheng.tabular import services, writer
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export, unregister
from zhicheng.tabular.models import ExportJob, ExportStatus, export_stall_after
from zhicheng.tabular.tests.conftest import make_uscc, read_xlsx, response_bytes

LIST_HEADERS = [column.header for column in OrganizationListView.columns]


def export_rows(user, **params) -> list[list]:
    started = services.export_start(actor=user, key="organizations", params=params)
    assert started.file is not None
    rows = read_xlsx(started.file.read())
    started.file.close()
    return rows


def test_the_export_has_the_list_pages_columns_then_the_parent(hr_city, orgs):
    rows = export_rows(hr_city, uscc=orgs["unit_a"].uscc)
    assert rows[0] == [*LIST_HEADERS, "上级机构"]
    assert rows[1] == [
        "南京江宁智能装备有限公司",
        orgs["unit_a"].uscc,
        "用人单位",
        "320115",
        5,
        "正常",
        "南京市江宁区工业和信息化局",
    ]


def test_the_export_is_exactly_the_scope_of_the_list(hr_city, hr_province, orgs):
    for user in (hr_city, hr_province):
        listed = list(selectors.organization_list(user=user).values_list("uscc", flat=True))
        exported = [row[1] for row in export_rows(user)[1:]]
        assert exported == listed
    assert orgs["unit_f"].uscc not in [row[1] for row in export_rows(hr_city)]


@pytest.mark.parametrize(
    "filters",
    [
        {"org_type": "employer"},
        {"name": "江宁"},
        {"region_code": "320115", "status": "active"},
        {"uscc": "12"},
        {"org_type": "not-a-type"},  # ignored, as the list's query form ignores it
    ],
)
def test_the_export_applies_the_same_filters_as_the_list(hr_city, filters):
    list_filters = {k: v for k, v in filters.items() if v != "not-a-type"}
    listed = list(
        selectors.organization_list(user=hr_city, **list_filters).values_list("uscc", flat=True)
    )
    assert [row[1] for row in export_rows(hr_city, **filters)[1:]] == listed


def test_an_applicant_cannot_export_organizations(client, applicant):
    client.force_login(applicant)
    assert client.post(reverse("tabular:export", args=["organizations"])).status_code == 403


def test_an_unknown_export_is_not_found(client, hr_city):
    client.force_login(hr_city)
    assert client.post(reverse("tabular:export", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ('=HYPERLINK("http://evil.example","点我")', '\'=HYPERLINK("http://evil.example","点我")'),
        ("+86 有限公司", "'+86 有限公司"),
        ("-1+1 科技", "'-1+1 科技"),
        ("@SUM(A1:A9) 公司", "'@SUM(A1:A9) 公司"),
        ("普通单位 = 正常", "普通单位 = 正常"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(
    hr_city, orgs, name, written
):
    org = organization_create(
        actor=hr_city,
        parent=orgs["county_jn"],
        name=name,
        uscc=make_uscc(77),
        org_type=OrgType.EMPLOYER,
        region_code="320115",
    )
    rows = export_rows(hr_city, uscc=org.uscc)
    assert rows[1][0] == written


def test_neutralize_covers_every_formula_prefix():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert writer.neutralize(prefix + "1") == "'" + prefix + "1"
    assert writer.neutralize("1=1") == "1=1"


@pytest.fixture
def id_number_export():
    spec = register_export(
        ExportSpec(
            key="test-persons",
            title="人员",
            permission="orgs.view_organization",
            columns=(
                ExportColumn("姓名", "name"),
                ExportColumn("身份证号", "id_number", id_number=True),
            ),
            queryset=lambda user, params: (
                selectors.organization_list(user=user)
                .filter(uscc=params.get("uscc"))
                .annotate(id_number=Value("11010119900307123X", output_field=CharField()))
            ),
        )
    )
    yield spec
    unregister(spec.key)


def test_id_numbers_are_masked_without_the_full_id_permission(id_number_export, orgs, make_user):
    viewer = make_user(orgs["dept_jn_it"], Role.EMPLOYER_OFFICER)
    assert not viewer.has_perm("accounts.view_full_id_number")
    started = services.export_start(
        actor=viewer, key="test-persons", params={"uscc": orgs["unit_a"].uscc}
    )
    assert read_xlsx(started.file.read())[1][1] == "110101********123X"


def test_id_numbers_are_masked_even_for_holders_of_the_permission(id_number_export, hr_city, orgs):
    """An export is a list: masked whatever the rights (the whole number only on 详情)."""
    assert hr_city.has_perm("accounts.view_full_id_number")
    started = services.export_start(
        actor=hr_city, key="test-persons", params={"uscc": orgs["unit_a"].uscc}
    )
    assert read_xlsx(started.file.read())[1][1] == "110101********123X"


def test_a_small_export_is_recorded_as_a_finished_job_and_an_operation(hr_city):
    rows = export_rows(hr_city, org_type="employer", page="2")
    job = ExportJob.objects.get()
    assert (job.status, job.background, job.done) == (ExportStatus.DONE, False, len(rows) - 1)
    assert job.params == {"org_type": "employer", "page": "2"}
    entry = LogEntry.objects.get(additional_data__operation="export")
    assert entry.actor == hr_city and entry.object_pk == str(job.pk)
    assert (
        entry.additional_data["summary"] == f"导出机构：{job.done}条；查询条件：机构类型=employer"
    )


def test_the_export_view_streams_an_xlsx_attachment(client, hr_city):
    client.force_login(hr_city)
    response = client.post(reverse("tabular:export", args=["organizations"]), {"name": "江宁"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response_bytes(response))
    assert all("江宁" in row[0] for row in rows[1:]) and len(rows) > 1


def test_a_get_never_starts_an_export_it_shows_the_post_button(client, hr_city):
    """Issue 9: GET /exports/<key>/ started a job, so a cross-site image could start exports."""
    client.force_login(hr_city)
    response = client.get(reverse("tabular:export", args=["organizations"]), {"name": "江宁"})
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "查询条件" in html and "机构名称=江宁" in html
    assert 'method="post" action="/exports/organizations/?name=%E6%B1%9F%E5%AE%81"' in html
    assert "csrfmiddlewaretoken" in html
    assert not ExportJob.objects.exists()
    assert not LogEntry.objects.filter(additional_data__operation="export").exists()


def test_an_export_post_needs_the_csrf_token(hr_city):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hr_city)
    url = reverse("tabular:export", args=["organizations"])
    assert browser.post(url).status_code == 403
    assert not ExportJob.objects.exists()
    page = browser.get(url)
    token = page.context["csrf_token"]
    response = browser.post(f"{url}?name=江宁", {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200
    rows = read_xlsx(response_bytes(response))
    assert len(rows) > 1 and all("江宁" in row[0] for row in rows[1:])


def test_the_list_pages_export_button_posts_the_screens_query(client, hr_city):
    client.force_login(hr_city)
    html = client.get(reverse("orgs:organization-list"), {"name": "江宁"}).content.decode()
    assert '<form method="post" action="/exports/organizations/?name=%E6%B1%9F%E5%AE%81"' in html
    assert 'href="/exports/' not in html


# --- Background jobs ----------------------------------------------------------------------


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 5


def test_a_large_export_runs_as_a_background_job_with_progress(
    client,
    hr_city,
    small_threshold,
    huey_immediate,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 3)
    client.force_login(hr_city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tabular:export", args=["organizations"]))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tabular:export-job", args=[job.pk])
    expected = selectors.organization_list(user=hr_city).count()
    assert expected >= 5
    assert (job.status, job.background, job.total, job.done) == (
        ExportStatus.DONE,
        True,
        expected,
        expected,
    )
    assert job.file_path.startswith("exports/") and services.export_file_path(job) is not None

    page = client.get(reverse("tabular:export-job", args=[job.pk]))
    assert "已完成" in page.content.decode() and "下载" in page.content.decode()
    partial = client.get(reverse("tabular:export-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 286  # HTMX stops polling
    download = client.get(reverse("tabular:export-download", args=[job.pk]))
    assert download.status_code == 200
    rows = read_xlsx(response_bytes(download))
    assert len(rows) - 1 == expected
    entry = LogEntry.objects.get(additional_data__operation="export")
    assert "后台任务" in entry.additional_data["summary"]


def test_progress_is_written_to_the_job_row_while_exporting(hr_city, small_threshold, monkeypatch):
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=1)
    seen: list[int] = []
    original = writer.write_export

    def recording(**kwargs):
        report = kwargs["progress"]

        def progress(done):
            report(done)
            seen.append(ExportJob.objects.get(pk=job.pk).done)

        return original(**{**kwargs, "progress": progress})

    monkeypatch.setattr(writer, "write_export", recording)
    services.export_job_run(job_id=job.pk)
    total = selectors.organization_list(user=hr_city).count()
    assert seen[:3] == [2, 4, 6] and seen[-1] == total


def test_a_running_job_polls_and_shows_its_progress_bar(client, hr_city):
    job = ExportJob.objects.create(
        key="organizations",
        actor=hr_city,
        background=True,
        status=ExportStatus.RUNNING,
        total=200,
        done=50,
    )
    client.force_login(hr_city)
    partial = client.get(reverse("tabular:export-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert 'hx-trigger="every 1s"' in html
    assert '<progress class="w-100" max="100" value="25"' in html
    assert "50 / 200" in html


def test_only_the_owner_sees_or_downloads_an_export_job(client, hr_city, hr_province, orgs):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=3)
    services.export_job_run(job_id=job.pk)
    client.force_login(hr_province)  # a superior, but not the owner
    assert client.get(reverse("tabular:export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("tabular:export-download", args=[job.pk])).status_code == 404
    client.force_login(hr_city)
    assert client.get(reverse("tabular:export-download", args=[job.pk])).status_code == 200


def test_a_job_interrupted_mid_run_completes_when_run_again(hr_city):
    job = ExportJob.objects.create(
        key="organizations",
        actor=hr_city,
        background=True,
        status=ExportStatus.RUNNING,
        total=99,
        done=7,
        attempt=1,
        heartbeat_at=timezone.now() - export_stall_after() * 2,
    )
    finished = services.export_job_run(job_id=job.pk)
    assert (finished.status, finished.attempt) == (ExportStatus.DONE, 2)
    assert finished.done == selectors.organization_list(user=hr_city).count()
    again = services.export_job_run(job_id=job.pk)  # a duplicate delivery is a no-op
    assert again.file_path == finished.file_path
    assert LogEntry.objects.filter(additional_data__operation="export").count() == 1


def test_a_failing_export_marks_the_job_failed_with_a_message(hr_city, monkeypatch):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True)

    def boom(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer, "write_export", boom)
    failed = services.export_job_run(job_id=job.pk)
    assert (failed.status, failed.error) == (ExportStatus.FAILED, "导出失败，请稍后重试")


def test_a_job_whose_owner_lost_the_permission_fails(hr_city):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True)
    hr_city.groups.clear()
    failed = services.export_job_run(job_id=job.pk)
    assert (failed.status, failed.error) == (ExportStatus.FAILED, "无权执行此导出")
    assert not failed.file_path


def test_export_files_are_deleted_after_a_week(client, hr_city):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True)
    job = services.export_job_run(job_id=job.pk)
    path = services.export_file_path(job)
    assert path.is_file()
    assert services.export_files_purge() == 0
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at - services.EXPORT_FILE_TTL * 2
    )
    assert services.export_files_purge() == 1
    assert not path.exists()
    client.force_login(hr_city)
    assert client.get(reverse("tabular:export-download", args=[job.pk])).status_code == 404
