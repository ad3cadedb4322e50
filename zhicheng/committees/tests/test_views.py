"""The pages of 1.10 / 1.11, the 其他信息 sections and the committee workspace (test client)."""

import datetime as dt
from html import escape

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.committees import services
from zhicheng.committees.models import AccountHandout, Committee, FeeItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_management_list_shows_only_managed_committees_with_their_actions(
    logged_in, hr_city, province_committee, city_committee
):
    response = logged_in(hr_city).get(reverse("committees:committee-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert city_committee.name in html and province_committee.name not in html
    for label in ("新增", "导入", "导出", "编辑", "其他信息", "注销", "重置密码"):
        assert label in html


def test_the_query_list_shows_readable_committees_read_only(
    logged_in, plan_reviewer, province_committee, city_committee
):
    response = logged_in(plan_reviewer).get(reverse("committees:committee-query"))
    html = response.content.decode()
    assert response.status_code == 200
    assert province_committee.name in html and city_committee.name in html
    assert "导出" in html and "其他信息" in html
    assert reverse("committees:committee-deregister", args=[city_committee.pk]) not in html
    assert reverse("committees:committee-create") not in html
    assert logged_in(plan_reviewer).get(reverse("committees:committee-list")).status_code == 403


def test_an_expired_committee_is_flagged_in_the_list(logged_in, hr_province, make_committee, today):
    make_committee(
        hr_province,
        name="过期的评委会",
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),
    )
    html = logged_in(hr_province).get(reverse("committees:committee-list")).content.decode()
    assert "已过期" in html


def test_creating_a_committee_shows_the_password_once(logged_in, hr_province, series_eng, today):
    client = logged_in(hr_province)
    form = client.get(reverse("committees:committee-create")).content.decode()
    assert form.count('class="required-mark"') >= 7
    response = client.post(
        reverse("committees:committee-create"),
        {
            "name": "页面新增评委会",
            "level": "senior",
            "series": series_eng.pk,
            "account": "page_pwh",
            "approval_number": "苏人社〔2026〕5号",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    committee = Committee.objects.get(name="页面新增评委会")
    assert committee.account.check_password(password)
    assert escape(password) in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    detail = client.get(reverse("committees:committee-detail", args=[committee.pk]))
    assert escape(password) not in detail.content.decode()


def test_a_duplicate_account_re_renders_the_form_with_a_chinese_message(
    logged_in, hr_province, hr_city, series_eng, today
):
    response = logged_in(hr_province).post(
        reverse("committees:committee-create"),
        {
            "name": "重复账号评委会",
            "level": "senior",
            "series": series_eng.pk,
            "account": hr_city.username,
            "approval_number": "x",
            "valid_from": today.isoformat(),
            "valid_until": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()
    assert not Committee.objects.filter(name="重复账号评委会").exists()


def test_editing_a_province_committee_from_a_city_is_forbidden(
    logged_in, hr_city, province_committee
):
    url = reverse("committees:committee-update", args=[province_committee.pk])
    assert logged_in(hr_city).get(url).status_code == 403


def test_deregister_needs_a_reason_and_disables_the_account(
    logged_in, hr_province, province_committee
):
    client = logged_in(hr_province)
    url = reverse("committees:committee-deregister", args=[province_committee.pk])
    client.post(url, {"next": "/committees/"})
    assert Committee.objects.get(pk=province_committee.pk).is_active
    response = client.post(url, {"reason": "任期届满", "next": "/committees/"}, follow=True)
    assert "已注销" in response.content.decode()
    committee = Committee.objects.get(pk=province_committee.pk)
    assert not committee.is_active and not committee.account.is_active


def test_reset_password_shows_a_new_password(logged_in, hr_province, province_committee):
    response = logged_in(hr_province).post(
        reverse("committees:committee-reset-password", args=[province_committee.pk])
    )
    password = response.context["password"]
    province_committee.account.refresh_from_db()
    assert province_committee.account.check_password(password)
    assert province_committee.account.must_change_password


def test_other_info_sections_add_and_delete_through_htmx(
    logged_in, hr_province, province_committee, specialties, orgs
):
    client = logged_in(hr_province)
    pk = province_committee.pk
    htmx = {"HTTP_HX_REQUEST": "true"}
    search = client.get(reverse("committees:specialty-search", args=[pk]), {"q": "机械工程（"})
    assert "T0802" in search.content.decode()
    assert 'T08"' not in search.content.decode()  # the 栏目大类 is not offered
    response = client.post(
        reverse("committees:specialty-add", args=[pk]),
        {"specialty": specialties["mech"].pk},
        **htmx,
    )
    html = response.content.decode()
    assert 'id="section-specialties"' in html and "评审专业已添加" in html
    assert "<html" not in html  # only the section
    response = client.post(
        reverse("committees:organizer-add", args=[pk]),
        {"organization": orgs["organizer_eng"].pk},
        **htmx,
    )
    assert orgs["organizer_eng"].name in response.content.decode()
    response = client.post(
        reverse("committees:fee-add", args=[pk]),
        {"new-item": "review", "new-amount": "-5", "new-note": ""},
        **htmx,
    )
    html = response.content.decode()
    assert "缴费金额必须大于0" in html and 'value="-5"' in html
    client.post(
        reverse("committees:fee-add", args=[pk]),
        {"new-item": "review", "new-amount": "300", "new-note": ""},
        **htmx,
    )
    fee = province_committee.fees.get()
    response = client.post(
        reverse("committees:fee-save", args=[pk, fee.pk]),
        {f"fee{fee.pk}-item": "review", f"fee{fee.pk}-amount": "320.5", f"fee{fee.pk}-note": ""},
        **htmx,
    )
    assert "缴费标准已保存" in response.content.decode()
    fee.refresh_from_db()
    assert str(fee.amount) == "320.50"
    link = province_committee.specialty_links.get()
    client.post(reverse("committees:specialty-remove", args=[pk, link.pk]), **htmx)
    assert not province_committee.specialty_links.exists()
    page = client.get(reverse("committees:committee-other", args=[pk])).content.decode()
    assert "评审专业" in page and "组建单位" in page and "缴费标准" in page


def test_other_info_of_a_province_committee_is_read_only_for_a_city(
    logged_in, hr_province, hr_city, province_committee
):
    services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    client = logged_in(hr_city)
    page = client.get(reverse("committees:committee-other", args=[province_committee.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "300.00" in html and "仅供查看" in html
    assert "新增缴费标准" not in html
    response = client.post(
        reverse("committees:fee-add", args=[province_committee.pk]),
        {"new-item": "material", "new-amount": "1"},
    )
    assert response.status_code == 403
    assert province_committee.fees.count() == 1


def test_out_of_scope_pages_are_404(logged_in, hr_suzhou, city_committee):
    client = logged_in(hr_suzhou)
    for name in ("committees:committee-detail", "committees:committee-other"):
        assert client.get(reverse(name, args=[city_committee.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(db, city_committee):
    response = Client().get(reverse("committees:committee-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_password_file_download_works_once(logged_in, hr_province, series_eng, today):
    services.committee_import(
        actor=hr_province,
        drafts=[
            services.CommitteeDraft(
                name="导入评委会",
                level="senior",
                series_id=series_eng.pk,
                account="imp_page",
                approval_number="1",
                valid_from=today,
                valid_until=today,
            )
        ],
    )
    client = logged_in(hr_province)
    html = client.get(reverse("committees:committee-list")).content.decode()
    assert "下载初始密码文件" in html
    handout = AccountHandout.objects.get()
    url = reverse("committees:handout-download", args=[handout.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    second = client.post(url, follow=True)
    assert "已下载过" in second.content.decode()
    assert (
        "下载初始密码文件" not in client.get(reverse("committees:committee-list")).content.decode()
    )


def test_a_committee_account_sees_its_workspace(logged_in, hr_province, province_committee):
    services.fee_standard_create(
        actor=hr_province, committee=province_committee, item=FeeItem.REVIEW, amount="300"
    )
    account = province_committee.account
    account.must_change_password = False
    account.save()
    response = logged_in(account).get(reverse("committees:workspace"))
    html = response.content.decode()
    assert response.status_code == 200
    assert province_committee.name in html and "300.00" in html


def test_the_workspace_is_only_for_committee_accounts(logged_in, hr_province):
    assert logged_in(hr_province).get(reverse("committees:workspace")).status_code == 404


def test_a_committee_account_lands_on_its_workspace_from_the_home_page(
    logged_in, province_committee
):
    account = province_committee.account
    account.must_change_password = False
    account.save()
    response = logged_in(account).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("committees:workspace")


def test_a_new_committee_account_must_change_its_password_first(logged_in, province_committee):
    response = logged_in(province_committee.account).get(reverse("committees:workspace"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change")
