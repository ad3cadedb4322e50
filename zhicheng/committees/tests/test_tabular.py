"""批量导入评委会 (with the one-time initial-password file) and 导出查询结果."""

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from openpyxl import Workbook, load_workbook

from zhicheng.accounts.models import User
from zhicheng.committees import selectors, services
from zhicheng.committees.models import AccountHandout, Committee
from zhicheng.committees.tabular import IMPORT_COLUMNS, parse_date
from zhicheng.common.errors import ApplicationError
from zhicheng.tabular import services as tabular_services

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in IMPORT_COLUMNS]


def build_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "评委会.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def row(n, *, account=None, series="工程", level="高级", start="2026-01-01", end="2028-12-31"):
    return [
        f"导入评委会{n}",
        level,
        series,
        account or f"imp_{n}",
        f"苏人社〔2026〕{n}号",
        start,
        end,
    ]


def preview(actor, rows):
    data = build_xlsx(rows)
    return tabular_services.import_preview(
        actor=actor, key="committees", fileobj=io.BytesIO(data), file_name="x.xlsx"
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2026-01-01", "2026-01-01"), ("2026/1/2", "2026-01-02"), ("2026.01.03", "2026-01-03"),
     ("2026年1月4日", "2026-01-04"), ("20260105", "2026-01-05")],
)  # fmt: skip
def test_dates_are_read_in_the_usual_chinese_spellings(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2026-02-30", "明年", "2026-13-01"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(Exception, match="日期"):
        parse_date(text)


def test_preview_counts_good_and_bad_rows_with_chinese_reasons(
    hr_province, hr_city, series_eng, make_committee
):
    make_committee(hr_province, name="已有评委会", account_username="pwh_taken")
    batch = preview(
        hr_province,
        [
            row(1),
            row(2, account="T_HR_CITY"),  # an existing user name, other case
            row(3, account="imp_1"),  # the same account twice in the file
            row(4, series="不存在的系列"),
            row(5, end="2029-01-01"),  # more than 3 years
            row(6, level="特级"),
            ["已有评委会", "高级", "工程", "imp_7", "x", "2026-01-01", "2026-12-31"],
            row(8, account="bad account!"),
            row(9, series="engineering"),
        ],
    )
    assert (batch.total, batch.valid_count, batch.invalid_count) == (9, 2, 7)
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "已被使用" in messages[3]
    assert "与本文件第1条重复" in messages[4]
    assert "职称系列“不存在的系列”不存在" in messages[5]
    assert "有效期最长3年" in messages[6]
    assert "不是可选值" in messages[7]
    assert "已存在名称为“已有评委会”" in messages[8]
    assert "评委会账号只能包含" in messages[9]
    assert Committee.objects.count() == 1  # the preview writes nothing


def test_commit_creates_the_committees_with_logins_and_one_password_file(hr_province, series_eng):
    batch = preview(hr_province, [row(1), row(2), row(3, account="T_HR_PROVINCE")])
    result = tabular_services.import_commit(actor=hr_province, batch=batch)
    assert result.created == 2
    committees = Committee.objects.order_by("name")
    assert [c.account.username for c in committees] == ["imp_1", "imp_2"]
    assert all(c.organization == hr_province.organization for c in committees)
    assert all(c.account.must_change_password for c in committees)
    handout = AccountHandout.objects.get()
    assert handout.account_count == 2
    assert list(selectors.account_handout_pending(user=hr_province)) == [handout]

    entries = services.account_handout_claim(actor=hr_province, handout=handout)
    assert [e["account"] for e in entries] == ["imp_1", "imp_2"]
    request = RequestFactory().post("/login/")
    for entry in entries:
        user = authenticate(request=request, username=entry["account"], password=entry["password"])
        assert user is not None
    handout.refresh_from_db()
    assert handout.entries == [] and handout.downloaded_at is not None
    with pytest.raises(ApplicationError, match="已下载过"):
        services.account_handout_claim(actor=hr_province, handout=handout)
    assert not selectors.account_handout_pending(user=hr_province).exists()


def test_only_the_importer_can_claim_the_password_file(hr_province, make_user, orgs, series_eng):
    from zhicheng.accounts.roles import Role

    colleague = make_user(orgs["province"], Role.HR_OFFICER)
    batch = preview(hr_province, [row(1)])
    tabular_services.import_commit(actor=hr_province, batch=batch)
    handout = AccountHandout.objects.get()
    assert not selectors.account_handout_pending(user=colleague).exists()
    with pytest.raises(ApplicationError, match="不是您导入的"):
        services.account_handout_claim(actor=colleague, handout=handout)
    assert AccountHandout.objects.get().entries  # still there for the importer


def test_an_expired_password_file_is_refused(hr_province, series_eng):
    batch = preview(hr_province, [row(1)])
    tabular_services.import_commit(actor=hr_province, batch=batch)
    handout = AccountHandout.objects.get()
    AccountHandout.objects.filter(pk=handout.pk).update(
        created_at=handout.created_at - dt.timedelta(hours=25)
    )
    assert not selectors.account_handout_pending(user=hr_province).exists()
    with pytest.raises(ApplicationError, match="已过期"):
        services.account_handout_claim(actor=hr_province, handout=handout)


def test_an_account_taken_between_preview_and_commit_imports_nothing(
    hr_province, make_user, orgs, series_eng
):
    batch = preview(hr_province, [row(1), row(2)])
    make_user(orgs["unit_a"], username="imp_2")
    with pytest.raises(ApplicationError, match="预览后数据已发生变化"):
        tabular_services.import_commit(actor=hr_province, batch=batch)
    assert not Committee.objects.exists()
    assert not User.objects.filter(username="imp_1").exists()
    assert not AccountHandout.objects.exists()


def test_a_plan_reviewer_may_not_import(plan_reviewer, series_eng):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview(plan_reviewer, [row(1)])


# --- API ------------------------------------------------------------------------------------


def test_api_import_preview_commit_and_claim(api_client, hr_province, series_eng):
    client = api_client(hr_province)
    response = client.post(
        "/api/v1/committees/import/",
        {"file": upload(build_xlsx([row(1), row(2, level="?")]))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["valid"], body["invalid"]) == (2, 1, 1)
    assert "评委会级别" in body["errors"][0]["message"]
    committed = client.post(f"/api/v1/imports/{body['id']}/commit/")
    assert committed.status_code == 200 and committed.json()["created"] == 1
    pending = client.get("/api/v1/committees/initial-passwords/").json()["results"]
    assert [p["account_count"] for p in pending] == [1]
    claim_url = f"/api/v1/committees/initial-passwords/{pending[0]['id']}/claim/"
    claimed = client.post(claim_url)
    assert claimed.status_code == 200
    account = claimed.json()["accounts"][0]
    assert account["account"] == "imp_1"
    assert User.objects.get(username="imp_1").check_password(account["initial_password"])
    again = client.post(claim_url)
    assert again.status_code == 400 and "已下载过" in again.json()["detail"]


def test_api_claim_of_someone_elses_file_is_404(api_client, hr_province, hr_city, series_eng):
    tabular_services.import_commit(actor=hr_province, batch=preview(hr_province, [row(1)]))
    handout = AccountHandout.objects.get()
    response = api_client(hr_city).post(f"/api/v1/committees/initial-passwords/{handout.pk}/claim/")
    assert response.status_code == 404


def test_api_import_by_a_plan_reviewer_is_403(api_client, plan_reviewer):
    response = api_client(plan_reviewer).post(
        "/api/v1/committees/import/", {"file": upload(build_xlsx([row(1)]))}, format="multipart"
    )
    assert response.status_code == 403


def read_export(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_api_export_follows_the_scope_and_the_filters(
    api_client, hr_city, province_committee, city_committee
):
    client = api_client(hr_city)
    response = client.get("/api/v1/committees/export/")
    assert response.status_code == 200
    rows = read_export(b"".join(response.streaming_content))
    header = rows[0]
    names = {r[header.index("评委会名称")] for r in rows[1:] if r and r[0]}
    assert {province_committee.name, city_committee.name} <= names
    response = client.get("/api/v1/committees/export/", {"managed": "1"})
    rows = read_export(b"".join(response.streaming_content))
    names = {r[header.index("评委会名称")] for r in rows[1:] if r and r[0]}
    assert names == {city_committee.name}
    assert rows[1][header.index("评委会级别")] == "中级"
    assert rows[1][header.index("有效状态")] == "正常"


def test_api_export_of_a_sibling_city_leaves_out_the_other_citys_committee(
    api_client, hr_suzhou, province_committee, city_committee
):
    response = api_client(hr_suzhou).get("/api/v1/committees/export/")
    content = b"".join(response.streaming_content)
    assert city_committee.name not in str(read_export(content))
    assert province_committee.name in str(read_export(content))


def test_export_is_refused_to_those_without_the_view_permission(api_client, applicant):
    assert api_client(applicant).get("/api/v1/committees/export/").status_code == 403
