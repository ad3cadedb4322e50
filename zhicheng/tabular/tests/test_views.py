"""The pages: 下载模板, the import dialog (HTMX preview, 提交, 错误文件) and its include."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhicheng.orgs.models import Organization
from zhicheng.tabular.models import ImportBatch, ImportStatus
from zhicheng.tabular.tests.conftest import build_xlsx, make_uscc, read_xlsx, response_bytes

HTMX = {"HTTP_HX_REQUEST": "true"}


def upload_page(client, data: bytes, name="机构.xlsx", **headers):
    return client.post(
        reverse("tabular:upload", args=["organizations"]),
        {"file": SimpleUploadedFile(name, data)},
        **headers,
    )


def test_the_template_downloads_as_an_xlsx_attachment(client, hr_city):
    client.force_login(hr_city)
    response = client.get(reverse("tabular:template", args=["organizations"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert read_xlsx(response_bytes(response))[0][0] == "机构名称*"


def test_the_upload_answers_htmx_with_the_preview_partial(client, hr_city, org_row):
    bad = org_row(2)
    bad[3] = "99"
    client.force_login(hr_city)
    response = upload_page(client, build_xlsx([org_row(1), bad]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "共 2 条：成功 1 条，失败 1 条" in html
    assert "第 3 行" in html and "行政区划代码应为6位数字" in html
    batch = ImportBatch.objects.get()
    assert reverse("tabular:errors", args=[batch.pk]) in html
    assert reverse("tabular:commit", args=[batch.pk]) in html


def test_a_bad_file_is_shown_in_the_dialog_not_a_500(client, hr_city):
    client.force_login(hr_city)
    response = upload_page(client, b"name,uscc\n", name="机构.csv", **HTMX)
    assert response.status_code == 200
    assert "请上传 Excel 工作簿（.xlsx）" in response.content.decode()


def test_uploading_without_a_file_asks_for_one(client, hr_city):
    client.force_login(hr_city)
    response = client.post(reverse("tabular:upload", args=["organizations"]), {}, **HTMX)
    assert "请选择要导入的 Excel 文件" in response.content.decode()


def test_commit_from_the_dialog_reports_the_result_and_triggers_a_refresh(client, hr_city, org_row):
    client.force_login(hr_city)
    upload_page(client, build_xlsx([org_row(1), org_row(2)]), **HTMX)
    batch = ImportBatch.objects.get()
    response = client.post(reverse("tabular:commit", args=[batch.pk]), **HTMX)
    html = response.content.decode()
    assert "导入完成：成功导入 2 条机构" in html
    assert response["HX-Trigger"] == "tabular-imported"
    assert Organization.objects.filter(uscc__in=[make_uscc(1), make_uscc(2)]).count() == 2
    again = client.post(reverse("tabular:commit", args=[batch.pk]), **HTMX)
    assert "未重复导入" in again.content.decode()


def test_commit_without_javascript_redirects_with_a_message(client, hr_city, org_row):
    client.force_login(hr_city)
    page = upload_page(client, build_xlsx([org_row(1)]))
    assert "共 1 条：成功 1 条，失败 0 条" in page.content.decode()
    batch = ImportBatch.objects.get()
    response = client.post(reverse("tabular:commit", args=[batch.pk]), follow=True)
    assert "导入完成：成功导入1条机构" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED


def test_the_error_file_and_the_commit_belong_to_the_uploader(
    client, hr_city, hr_province, org_row
):
    client.force_login(hr_city)
    upload_page(client, build_xlsx([org_row(1)]), **HTMX)
    batch = ImportBatch.objects.get()
    assert client.get(reverse("tabular:errors", args=[batch.pk])).status_code == 200
    client.force_login(hr_province)
    assert client.get(reverse("tabular:errors", args=[batch.pk])).status_code == 404
    assert client.post(reverse("tabular:commit", args=[batch.pk])).status_code == 404


def test_import_pages_need_the_add_permission(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("tabular:template", args=["organizations"])).status_code == 403
    assert client.get(reverse("tabular:import", args=["organizations"])).status_code == 403
    assert client.post(reverse("tabular:upload", args=["organizations"])).status_code == 403


def test_an_unknown_importer_is_not_found(client, hr_city):
    client.force_login(hr_city)
    assert client.get(reverse("tabular:import", args=["nothing"])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("tabular:import", args=["organizations"]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def render_dialog(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        '{% include "tabular/_import_dialog.html" with importer_key="organizations" %}'
    )
    return template.render(Context({"request": request}))


def test_the_dialog_include_renders_the_modal_for_importers(hr_city):
    html = render_dialog(hr_city)
    assert 'id="import-dialog-organizations"' in html
    assert reverse("tabular:template", args=["organizations"]) in html
    assert 'accept=".xlsx' in html
    assert 'hx-post="/imports/organizations/upload/"' in html
    assert '<span class="required-mark">*</span>导入文件' in html
    assert "style=" not in html


def test_the_dialog_include_renders_nothing_without_the_permission(applicant):
    assert render_dialog(applicant).strip() == ""
