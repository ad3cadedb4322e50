import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.blacklist.models import BlacklistEntry, BlacklistStatus
from zhicheng.persons.models import Person
from zhicheng.persons.tests.factories import id_number, with_bad_check_char

LIST = reverse("blacklist:entry-list")
CREATE = reverse("blacklist:entry-create")


@pytest.fixture
def city_entry(hr_city, nj_person, list_entry):
    return list_entry(hr_city, nj_person, document_number="宁人社职〔2026〕8号")


@pytest.fixture
def province_entry(hr_province, sz_person, list_entry):
    return list_entry(hr_province, sz_person)


def form_data(**overrides) -> dict:
    return {
        "id_type": "resident_id",
        "id_number": "",
        "name": "",
        "reason": "false_materials",
        "document_number": "宁人社职〔2026〕9号",
        "start_date": "2026-03-01",
        "end_date": "",
        "notes": "",
        **overrides,
    }


def test_menu_entry_121_opens_the_list(client, hr_city):
    client.force_login(hr_city)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{LIST}"' in html and "1.21" in html


def test_list_shows_own_entries_with_state_and_actions_only(
    client, hr_city, city_entry, province_entry
):
    client.force_login(hr_city)
    html = client.get(LIST).content.decode()
    assert "王强" in html and "刘洋" not in html
    assert city_entry.person.id_number not in html  # lists mask, whatever the rights
    assert city_entry.person.masked_id_number in html
    assert "生效中" in html
    for label in ("详情", "修改", "解除", "新增", "导出"):
        assert label in html
    assert 'data-confirm-reason="解除原因"' in html


def test_list_masks_the_number_without_the_permission(client, orgs, make_user, city_entry):
    viewer = make_user(orgs["city_nj"], Role.EMPLOYER_OFFICER)
    viewer.user_permissions.add(Permission.objects.get(codename="view_blacklistentry"))
    client.force_login(viewer)
    html = client.get(LIST).content.decode()
    assert city_entry.person.masked_id_number in html
    assert city_entry.person.id_number not in html
    assert f'href="{CREATE}"' not in html and "/lift/" not in html


def test_list_filters(client, hr_province, city_entry, province_entry):
    client.force_login(hr_province)
    html = client.get(LIST, {"name": "刘"}).content.decode()
    assert "刘洋" in html and "王强" not in html
    html = client.get(LIST, {"state": "lifted"}).content.decode()
    assert "刘洋" not in html and "王强" not in html and "没有符合条件的黑名单记录" in html


def test_applicant_cannot_open_the_list(client, applicant):
    client.force_login(applicant)
    assert client.get(LIST).status_code == 403


def test_create_form_marks_required_fields_and_offers_the_person_search(client, hr_city):
    client.force_login(hr_city)
    html = client.get(CREATE).content.decode()
    for label in ("证件类型", "证件号码", "姓名", "原因类别", "依据文号", "开始日期"):
        assert f'<span class="required-mark">*</span>{label}' in html
    assert '<span class="required-mark">*</span>结束日期' not in html
    assert "录入人员姓名或身份证号，回车查询" in html
    assert "blacklist/person_picker.js" in html


def test_create_a_known_person_then_detail(client, hr_city, nj_person):
    client.force_login(hr_city)
    response = client.post(
        CREATE, form_data(id_number=nj_person.id_number, name="王强"), follow=True
    )
    entry = BlacklistEntry.objects.get()
    assert response.redirect_chain[-1][0] == reverse("blacklist:entry-detail", args=[entry.pk])
    assert entry.end_date == dt.date(2029, 3, 1)
    html = response.content.decode()
    assert "已将“王强”列入黑名单" in html and "宁人社职〔2026〕9号" in html


def test_create_a_new_person(client, hr_city):
    client.force_login(hr_city)
    number = id_number(seq="095")
    client.post(CREATE, form_data(id_number=number, name="新人员"))
    assert BlacklistEntry.objects.get().person == Person.objects.get(id_number=number)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "BAD", "name": "甲"}, "身份证号应为18位"),
        ({"name": "甲", "end_date": "2026-02-01"}, "结束日期不能早于开始日期"),
        ({"name": "甲", "document_number": ""}, "该字段是必填项"),
    ],
)
def test_bad_input_re_renders_the_form_with_the_message(client, hr_city, overrides, message):
    client.force_login(hr_city)
    data = form_data(**{"id_number": id_number(seq="097"), **overrides})
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BlacklistEntry.objects.exists()


def test_invalid_check_character_is_named(client, hr_city):
    client.force_login(hr_city)
    data = form_data(id_number=with_bad_check_char(id_number()), name="甲")
    assert "身份证号校验位错误" in client.post(CREATE, data).content.decode()


def test_update_page(client, hr_city, city_entry):
    client.force_login(hr_city)
    url = reverse("blacklist:entry-update", args=[city_entry.pk])
    html = client.get(url).content.decode()
    assert "王强" in html and "宁人社职〔2026〕8号" in html
    data = {
        "reason": "other",
        "document_number": "宁人社职〔2026〕8号",
        "start_date": city_entry.start_date.isoformat(),
        "end_date": (city_entry.start_date + dt.timedelta(days=400)).isoformat(),
        "notes": "更正",
    }
    response = client.post(url, data, follow=True)
    assert "的黑名单信息已保存" in response.content.decode()
    city_entry.refresh_from_db()
    assert city_entry.reason == "other" and city_entry.notes == "更正"


def test_out_of_scope_pages_are_404(client, hr_city, province_entry):
    client.force_login(hr_city)
    pk = province_entry.pk
    for name in ("blacklist:entry-detail", "blacklist:entry-update"):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert (
        client.post(reverse("blacklist:entry-lift", args=[pk]), {"reason": "x"}).status_code == 404
    )
    province_entry.refresh_from_db()
    assert province_entry.status == BlacklistStatus.ACTIVE


def test_lift_from_the_page_needs_a_reason_and_keeps_history(client, hr_city, city_entry):
    client.force_login(hr_city)
    url = reverse("blacklist:entry-lift", args=[city_entry.pk])
    response = client.post(url, {"reason": "  ", "next": LIST}, follow=True)
    assert "请填写解除原因" in response.content.decode()
    city_entry.refresh_from_db()
    assert city_entry.status == BlacklistStatus.ACTIVE
    response = client.post(url, {"reason": "复核撤销", "next": LIST}, follow=True)
    assert "已解除“王强”的黑名单" in response.content.decode()
    again = client.post(url, {"reason": "再次", "next": LIST}, follow=True)
    assert "不能重复解除" in again.content.decode()
    detail = client.get(reverse("blacklist:entry-detail", args=[city_entry.pk])).content.decode()
    assert "复核撤销" in detail and "已解除" in detail


def test_export_uses_the_list_filters_and_scope(client, hr_city, city_entry, province_entry):
    client.force_login(hr_city)
    response = client.post(reverse("tabular:export", args=["blacklist"]), {"state": "in_force"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "证件类型", "证件号码")
    assert [r[0] for r in rows[1:]] == ["王强"]
    assert rows[1][2] == city_entry.person.masked_id_number and rows[1][8] == "生效中"


def test_api_export_masks_without_permission_and_refuses_bad_filters(
    api_client, orgs, make_user, hr_city, city_entry
):
    viewer = make_user(orgs["city_nj"], Role.EMPLOYER_OFFICER)
    viewer.user_permissions.add(Permission.objects.get(codename="view_blacklistentry"))
    response = api_client(viewer).get("/api/v1/blacklist/export/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][2] == city_entry.person.masked_id_number
    assert api_client(hr_city).get("/api/v1/blacklist/export/", {"state": "x"}).status_code == 400
    assert api_client().get("/api/v1/blacklist/export/").status_code in (401, 403)
