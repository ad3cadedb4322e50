"""The pages: the applicant's form, 电子档案, workspace; 1.12 list, 审核, 批量审核通过; 1.24 过程跟踪."""

import pytest
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.applications import services
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.blacklist.models import BlacklistReason
from zhicheng.blacklist.services import blacklist_entry_create

from .conftest import PERSONAL_DATA, pdf_bytes, specialty, title_named, upload


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def _form_data(world, kind="initial", **overrides):
    title = title_named("助理工程师" if kind == "initial" else "高级工程师")
    data = {
        "acquisition_method": kind,
        "series": title.series_id,
        "title": title.pk,
        "specialty": specialty("080201").pk,
        "employer": world.orgs["unit_a"].pk,
        "notice_acknowledged": "on",
        "integrity_pledged": "on",
        "work-TOTAL_FORMS": "2",
        "work-INITIAL_FORMS": "0",
        "work-MIN_NUM_FORMS": "0",
        "work-MAX_NUM_FORMS": "30",
        "work-0-start_date": "2015-07-15",
        "work-0-organization_name": "南京江宁智能装备有限公司",
        "work-0-position": "工艺工程师",
        **{k: str(v) for k, v in PERSONAL_DATA.items()},
        **overrides,
    }
    if kind == "evaluation":
        data["committee"] = world.committee.pk
    return data


def test_the_new_application_form_offers_the_steps(world, login):
    page = login(world.applicant).get(reverse("applications:application-create"))
    html = page.content.decode()
    assert page.status_code == 200
    for step in ("① 取得方式", "② 申报职称与专业", "③ 用人单位", "④ 受理机构", "⑦ 诚信承诺"):
        assert step in html
    assert 'data-url="/api/v1/applications/employers/"' in html
    assert 'placeholder="录入单位名称，回车查询，支持模糊查询"' in html
    assert "未找到匹配的用人单位" in html
    assert 'name="work-0-start_date"' in html and 'name="work-1-start_date"' not in html
    assert 'data-testid="work-add"' in html and 'name="work-__prefix__-start_date"' in html
    assert '<span class="required-mark">*</span>取得方式' in html


def test_the_form_options_show_the_office_notice_or_the_committees(world, login):
    client = login(world.applicant)
    url = reverse("applications:form-options")
    html = client.get(
        url,
        {
            "acquisition_method": "initial",
            "title": title_named("助理工程师").pk,
            "employer": world.orgs["unit_a"].pk,
        },
    ).content.decode()
    assert "南京市人力资源和社会保障局" in html and "<strong>须知</strong>" in html
    assert 'name="notice_acknowledged"' in html
    # A tick outlives a reload while the office stays the same (browser test of the race).
    assert f'id="notice-ack-{world.offices["initial"].pk}" hx-preserve' in html
    html = client.get(
        url,
        {
            "acquisition_method": "evaluation",
            "title": title_named("高级工程师").pk,
            "specialty": specialty("080201").pk,
        },
    ).content.decode()
    assert world.committee.name in html and 'name="committee"' in html
    assert f'id="committee-choices-{world.committee.pk}" hx-preserve' in html
    html = client.get(
        url,
        {
            "acquisition_method": "initial",
            "title": title_named("助理工程师").pk,
            "employer": world.orgs["unit_f"].pk,
        },
    ).content.decode()
    assert "没有完整的审核路径" in html


def test_save_upload_and_submit_through_the_pages(world, login):
    client = login(world.applicant)
    response = client.post(reverse("applications:application-create"), _form_data(world))
    app = Application.objects.get(applicant=world.applicant)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-attachments", args=[app.pk])
    assert app.work_experiences.get().position == "工艺工程师"
    assert app.notice_acknowledged_at is not None
    attachments_url = reverse("applications:application-attachments", args=[app.pk])
    for category, content in (("id_card", None), ("diploma", pdf_bytes())):
        response = client.post(
            attachments_url,
            {"category": category, "file": upload("a.pdf" if content else "a.png", content)},
        )
        assert response.status_code == 302
    response = client.post(
        attachments_url, {"category": "other", "file": upload("x.pdf", b"<html>", "text/html")}
    )
    assert "不是有效的PDF、JPG或PNG文件" in response.content.decode()
    response = client.post(
        reverse("applications:application-action", args=[app.pk, "submit"]),
        {"version": app.version},
        follow=True,
    )
    assert "申报已提交，送“南京江宁智能装备有限公司”审核" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.UNDER_REVIEW


def test_a_refused_submission_shows_the_reason(world, login, draft):
    app = draft("evaluation", complete=False)
    response = login(world.applicant).post(
        reverse("applications:application-action", args=[app.pk, "submit"]), follow=True
    )
    assert "请阅读并勾选诚信承诺后再提交" in response.content.decode()


def test_a_service_refusal_rerenders_the_form_with_the_message(world, login):
    data = _form_data(world, "evaluation", specialty=specialty("0808").pk)
    response = login(world.applicant).post(reverse("applications:application-create"), data)
    assert response.status_code == 200
    assert "评审专业不包含" in response.content.decode()
    assert not Application.objects.exists()


def test_a_work_period_ending_before_it_starts_shows_the_service_message(world, login):
    data = _form_data(world, **{"work-0-end_date": "2014-01-01"})
    response = login(world.applicant).post(reverse("applications:application-create"), data)
    assert response.status_code == 200
    assert "工作经历的结束时间不能早于开始时间" in response.content.decode()
    assert not Application.objects.exists()


def test_the_workspace_lists_applications_and_messages(world, login, submitted):
    app = submitted("evaluation")
    services.application_return(
        actor=world.officers["unit_a"],
        application=app,
        opinion="请补充业绩材料",
        reasons=["performance"],
    )
    html = login(world.applicant).get(reverse("persons:workspace")).content.decode()
    assert "高级工程师" in html and "已退回申报人修改" in html
    assert "退回原因：业绩材料不足或不符合申报条件" in html and "请补充业绩材料" in html
    assert world.officers["unit_a"].username not in html


def test_the_review_list_shows_todo_rows_with_a_checkbox(world, login, submitted):
    app = submitted("evaluation")
    html = login(world.officers["unit_a"]).get(reverse("applications:review-list")).content.decode()
    assert f'value="{app.pk}:{app.version}"' in html
    assert "张伟" in html and "批量审核通过" in html
    assert "*" in html  # 身份证号 masked for 单位经办
    county = login(world.officers["county_jn"]).get(reverse("applications:review-list"))
    assert "张伟" not in county.content.decode()
    every = login(world.officers["county_jn"]).get(
        reverse("applications:review-list"), {"scope": "all"}
    )
    assert "张伟" in every.content.decode()


def test_blacklisted_applicants_are_flagged_in_the_lists(world, login, submitted):
    submitted("evaluation")
    blacklist_entry_create(
        actor=world.officers["province"],
        person=world.zhang,
        reason=BlacklistReason.FALSE_MATERIALS,
        document_number="苏人社职〔2026〕9号",
        start_date=world.today,
    )
    for url in (reverse("applications:review-list"), reverse("applications:trace-list")):
        html = login(world.officers["unit_a"]).get(url, {"scope": "all"}).content.decode()
        assert 'data-testid="blacklist-flag"' in html


def test_approve_from_the_detail_page_says_where_it_went(world, login, submitted):
    app = submitted("evaluation")
    client = login(world.officers["unit_a"])
    page = client.get(reverse("applications:application-detail", args=[app.pk]))
    assert 'data-testid="review-form"' in page.content.decode()
    assert "上级审核单位或评委会：</strong>南京市江宁区工业和信息化局" in page.content.decode()
    response = client.post(
        reverse("applications:application-review", args=[app.pk]),
        {"decision": "approve", "opinion": "同意", "version": app.version},
        follow=True,
    )
    assert "审核通过，已推送至“南京市江宁区工业和信息化局”待审" in response.content.decode()
    page = client.get(reverse("applications:application-detail", args=[app.pk]))
    assert 'data-testid="review-form"' not in page.content.decode()


def test_the_province_sees_the_committee_as_the_next_step(world, login, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
    html = (
        login(world.officers["province"])
        .get(reverse("applications:application-detail", args=[app.pk]))
        .content.decode()
    )
    assert f"{world.committee.name}（江苏省工程技术研究会）" in html


def test_a_return_without_opinion_rerenders_with_the_message(world, login, submitted):
    app = submitted("evaluation")
    response = login(world.officers["unit_a"]).post(
        reverse("applications:application-review", args=[app.pk]),
        {"decision": "return", "opinion": "", "reasons": ["performance"], "version": app.version},
    )
    assert response.status_code == 200
    assert "请填写审核意见" in response.content.decode()


def test_a_stale_page_gets_already_handled(world, login, submitted):
    app = submitted("evaluation")
    client = login(world.officers["unit_a"])
    data = {"decision": "approve", "version": app.version}
    client.post(reverse("applications:application-review", args=[app.pk]), data)
    response = client.post(
        reverse("applications:application-review", args=[app.pk]),
        {**data, "decision": "return", "opinion": "x"},
    )
    assert "该申报已被处理" in response.content.decode()


def test_batch_approve_from_the_list(world, login, submitted, make_applicant):
    first = submitted("evaluation")
    second = submitted("evaluation", user=make_applicant("李娜").user)
    response = login(world.officers["unit_a"]).post(
        reverse("applications:batch-approve"),
        {"ids": [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"]},
        follow=True,
    )
    assert "批量审核通过 2 件" in response.content.decode()
    assert Application.objects.filter(current_organization=world.orgs["dept_jn_it"]).count() == 2


def test_the_timeline_hides_officer_names_from_the_applicant(world, login, submitted, climb):
    app = climb(submitted("evaluation"), "unit_a")
    url = reverse("applications:application-timeline", args=[app.pk])
    officer_name = world.officers["unit_a"].real_name or world.officers["unit_a"].username
    mine = login(world.applicant).get(url).content.decode()
    assert "南京江宁智能装备有限公司" in mine and "当前待“南京市江宁区工业和信息化局”审核" in mine
    assert officer_name not in mine
    theirs = login(world.officers["province"]).get(url).content.decode()
    assert officer_name in theirs


def test_pages_of_someone_elses_application_are_404(
    world, login, submitted, make_applicant, make_user
):
    app = submitted("evaluation")
    attachment = app.attachments.first()
    for user in (make_applicant("李娜").user, make_user(world.orgs["city_sz"], Role.HR_OFFICER)):
        client = login(user)
        for url in (
            reverse("applications:application-detail", args=[app.pk]),
            reverse("applications:application-timeline", args=[app.pk]),
            reverse("applications:application-attachments", args=[app.pk]),
            reverse("applications:attachment-file", args=[attachment.pk]),
        ):
            assert client.get(url).status_code == 404, url


def test_the_attachment_page_previews_inline(world, login, submitted):
    app = submitted("evaluation")
    html = (
        login(world.officers["unit_a"])
        .get(reverse("applications:application-attachments", args=[app.pk]))
        .content.decode()
    )
    attachment = app.attachments.first()
    assert f'src="{reverse("applications:attachment-file", args=[attachment.pk])}"' in html
    assert "/media/" not in html


def test_the_trace_list_and_the_menu_entries(world, login, submitted):
    submitted("evaluation")
    html = (
        login(world.officers["county_jn"]).get(reverse("applications:trace-list")).content.decode()
    )
    assert "张伟" in html and "过程跟踪" in html
    assert 'data-menu-code="1.12"' in html and 'data-menu-code="1.24"' in html


def test_an_applicant_cannot_open_the_review_list(world, login):
    assert login(world.applicant).get(reverse("applications:review-list")).status_code == 403


def test_export_through_the_shared_engine(world, login, submitted):
    submitted("evaluation")
    response = login(world.officers["unit_a"]).post(
        reverse("tabular:export", args=["applications"]), {"scope": "all"}
    )
    assert response.status_code in (200, 302)


def test_crafted_query_strings_are_never_a_500(world, login, submitted):
    submitted("evaluation")
    huge = "99999999999999999999999"
    officer = login(world.officers["unit_a"])
    for params in ({"year": huge, "title": huge}, {"name": "张\x00"}, {"scope": "nope"}):
        assert officer.get(reverse("applications:review-list"), params).status_code == 200
        assert officer.get(reverse("applications:trace-list"), params).status_code == 200
    response = officer.post(reverse("applications:batch-approve"), {"ids": [f"{huge}:1", "x"]})
    assert response.status_code == 302
    applicant = login(world.applicant)
    params = {"acquisition_method": "initial", "title": huge, "specialty": huge, "employer": huge}
    assert applicant.get(reverse("applications:form-options"), params).status_code == 200
    assert applicant.get(reverse("applications:form-titles"), {"series": huge}).status_code == 200


def test_a_blacklisted_applicant_is_warned_when_he_starts_an_application(world, hr_province):
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(world.applicant)
    url = reverse("applications:application-create")
    assert 'data-testid="blacklist-alert"' not in client.get(url).content.decode()
    blacklist_entry_create(
        actor=hr_province,
        person=world.applicant.person,
        reason="false_materials",
        document_number="苏人社〔2026〕1号",
        start_date=timezone.localdate(),
    )
    page = client.get(url).content.decode()
    assert 'data-testid="blacklist-alert"' in page and "提交将被拒绝" in page


def test_an_export_is_the_query_of_the_screen_it_comes_from(world, login, submitted, climb):
    """Issue 9: the export defaulted to 待我审核 while 1.24 and the API list show everything."""
    from django.http import QueryDict

    from zhicheng.tabular import services as tabular_services
    from zhicheng.tabular.tests.conftest import read_xlsx

    climb(submitted("evaluation"), "unit_a")  # in unit_a's scope, no longer its turn
    officer = world.officers["unit_a"]
    client = login(officer)

    def exported(query: str) -> int:
        started = tabular_services.export_start(
            actor=officer, key="applications", params=QueryDict(query)
        )
        return len(read_xlsx(started.file.read())) - 1

    for url_name, scope, listed in (("review-list", "todo", 0), ("trace-list", "all", 1)):
        page = client.get(reverse(f"applications:{url_name}"))
        assert page.context["export_query"] == f"scope={scope}"
        assert page.context["paginator"].count == listed
        assert exported(page.context["export_query"]) == listed
    # Without a scope, the export is what GET /api/v1/applications/ lists: everything in scope.
    assert exported("") == 1
