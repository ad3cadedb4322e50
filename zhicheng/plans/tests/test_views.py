"""呈报方案 pages: the committee compiles on the detail page and submits; 1.13 / 1.14 list the plans
of their kind with 审核 for the right reviewer; 1.23 queries and exports; attachments only
through an authorised view."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhicheng.applications.tests.conftest import specialty
from zhicheng.common.samples import pdf_bytes
from zhicheng.common.security import FILE_POLICY
from zhicheng.plans import services
from zhicheng.plans.models import PlanStatus

LIST = reverse("plans:plan-list")
REVIEW_LIST = reverse("plans:review-list")
SPECIAL_LIST = reverse("plans:special-review-list")


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


def detail(plan) -> str:
    return reverse("plans:plan-detail", args=[plan.pk])


def test_the_committee_compiles_a_plan_through_the_pages(
    client_for, committee_user, qualified, world
):
    client = client_for(committee_user)
    assert "新建方案</a>" in text(client.get(LIST))
    response = client.post(
        reverse("plans:plan-create"),
        {"name": "高级工程师评审方案", "year": 2026, "is_special": "0"},
        follow=True,
    )
    assert "请继续填写参评人员" in text(response)
    plan = world.committee.plans.get()
    (app,) = qualified(1)
    page = text(client.get(detail(plan)))
    assert f'value="{app.pk}"' in page and "张伟" in page  # a candidate
    client.post(reverse("plans:participants-add", args=[plan.pk]), {"application": [app.pk]})
    refused = client.post(
        reverse("plans:expert-add", args=[plan.pk]),
        {"specialty": specialty("080201").pk, "level": "senior_full", "count": 0},
    )
    assert refused.status_code == 200 and "专家需求" in text(refused)
    assert 'value="0"' in text(refused)  # what was typed stays
    client.post(
        reverse("plans:expert-add", args=[plan.pk]),
        {"specialty": specialty("080201").pk, "level": "senior_full", "count": 7},
    )
    client.post(reverse("plans:scoring-add", args=[plan.pk]), {"name": "业绩", "max_score": 70})
    over = client.post(
        reverse("plans:scoring-add", args=[plan.pk]), {"name": "答辩", "max_score": 40}
    )
    assert "超过 100 分（已有 70 分，本项 40 分）" in text(over)
    upload = SimpleUploadedFile("评审方案.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("plans:attachment-add", args=[plan.pk]), {"file": upload})
    early = client.post(reverse("plans:plan-submit", args=[plan.pk]), follow=True)
    assert "打分细则总分应为 100 分，现为 70 分" in text(early)
    client.post(reverse("plans:scoring-add", args=[plan.pk]), {"name": "答辩", "max_score": 30})
    done = client.post(reverse("plans:plan-submit", args=[plan.pk]), follow=True)
    assert "已呈报，等待审核" in text(done)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert 'data-testid="compile-actions"' not in text(client.get(detail(plan)))


def test_reviewers_see_their_kind_and_review_with_an_opinion(
    client_for, complete_plan, committee_user, reviewer, special_reviewer
):
    services.plan_submit(actor=committee_user, plan=complete_plan)
    normal = client_for(reviewer)
    body = text(normal.get(REVIEW_LIST))
    assert complete_plan.name in body and ">审核<" in body
    assert complete_plan.name not in text(normal.get(SPECIAL_LIST))
    special = client_for(special_reviewer)
    page = text(special.get(reverse("plans:plan-review", args=[complete_plan.pk])))
    assert 'data-testid="review-form"' not in page  # not his kind
    url = reverse("plans:plan-review", args=[complete_plan.pk])
    page = text(normal.get(url))
    assert "业绩成果" in page and "张伟" in page and 'data-testid="review-form"' in page
    refused = normal.post(url, {"approved": "0", "opinion": ""})
    assert "审核不通过须填写审核意见" in text(refused)
    done = normal.post(url, {"approved": "0", "opinion": "专家人数不足"}, follow=True)
    assert "审核不通过" in text(done)
    complete_plan.refresh_from_db()
    assert (complete_plan.status, complete_plan.review_opinion) == ("rejected", "专家人数不足")
    # Back with the committee: it may change the plan again.
    assert 'data-testid="compile-actions"' in text(
        client_for(committee_user).get(detail(complete_plan))
    )


def test_the_query_exports_what_it_shows(client_for, complete_plan, committee_user, hr_province):
    services.plan_submit(actor=committee_user, plan=complete_plan)
    client = client_for(hr_province)
    body = text(client.get(LIST, {"kind": "normal"}))
    assert complete_plan.name in body and "共 1 条" in body
    assert "新建方案</a>" not in body
    assert "共 0 条" in text(client.get(LIST, {"kind": "special"}))
    export = client.post(reverse("tabular:export", args=["plans"]), {"kind": "normal"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [
        (complete_plan.name, "正常方案", 1, "待审核")
    ]


def test_attachments_are_served_only_to_who_may_see_the_plan(
    client_for, plan, committee_user, reviewer, hr_city
):
    upload = SimpleUploadedFile("评审方案.pdf", pdf_bytes(), content_type="application/pdf")
    attachment = services.plan_attachment_add(actor=committee_user, plan=plan, upload=upload)
    url = reverse("plans:attachment-file", args=[attachment.pk])
    response = client_for(committee_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_POLICY
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert client_for(reviewer).get(url).status_code == 404  # a draft is not his yet
    assert client_for(hr_city).get(url).status_code == 404


def test_a_plan_attachment_with_a_script_is_refused(client_for, plan, committee_user):
    active = pdf_bytes(catalog_extra=b"/OpenAction<</S/JavaScript/JS(app.alert\\(1\\))>>")
    upload = SimpleUploadedFile("评审方案.pdf", active, content_type="application/pdf")
    response = client_for(committee_user).post(
        reverse("plans:attachment-add", args=[plan.pk]), {"file": upload}, follow=True
    )
    assert "含有JavaScript 脚本，存在安全风险" in text(response)
    assert not plan.attachments.exists()


def test_other_users_cannot_change_a_plan(client_for, plan, reviewer, hr_province):
    for user in (reviewer, hr_province):
        response = client_for(user).post(
            reverse("plans:scoring-add", args=[plan.pk]), {"name": "越权", "max_score": 5}
        )
        assert response.status_code == 403
    assert not plan.scoring.exists()


def test_the_timeline_of_a_participant_shows_the_plan_once_it_left_the_committee(
    complete_plan, committee_user, reviewer, world
):
    application = complete_plan.participants.get().application
    client = Client()
    client.force_login(world.officers["province"])
    url = reverse("applications:application-timeline", args=[application.pk])

    def timeline() -> str:
        page = client.get(url).content.decode()
        return page.split('data-testid="timeline"', 1)[1].split("</table>", 1)[0]

    assert "呈报方案" not in timeline()  # a draft is the committee's own business
    services.plan_submit(actor=committee_user, plan=complete_plan)
    assert f"列入呈报方案“{complete_plan.name}”" in timeline()
    services.plan_review(actor=reviewer, plan=complete_plan, approved=True, opinion="同意评审")
    rows = timeline()
    assert rows.index("呈报方案") < rows.index("方案审核通过")
    assert "同意评审" in rows and "待评审" in rows


def test_the_export_names_the_reviewer_by_name(complete_plan, committee_user, orgs, make_user):
    from zhicheng.accounts.roles import Role
    from zhicheng.plans.tabular import KEY
    from zhicheng.tabular.engine import get_export_spec

    named = make_user(orgs["province"], Role.PLAN_REVIEWER, username="t_zhou", real_name="周审核")
    services.plan_submit(actor=committee_user, plan=complete_plan)
    services.plan_review(actor=named, plan=complete_plan, approved=True, opinion="同意")
    rows = get_export_spec(KEY).queryset(named, {}).values_list("name", "reviewer_name")
    assert list(rows) == [(complete_plan.name, "周审核")]


def test_the_review_and_query_lists_offer_the_attachments(
    client_for, complete_plan, committee_user, reviewer
):
    services.plan_submit(actor=committee_user, plan=complete_plan)
    anchor = reverse("plans:plan-detail", args=[complete_plan.pk]) + "#attachments"
    for url in (reverse("plans:review-list"), LIST):
        body = text(client_for(reviewer).get(url))
        assert f'href="{anchor}"' in body and "查看附件" in body


def test_an_empty_list_says_why(client_for, hr_city, reviewer, committee_user):
    assert "本单位管辖范围内的评委会暂无已呈报的方案" in text(client_for(hr_city).get(LIST))
    review = reverse("plans:review-list")
    assert "待审核的方案会出现在这里" in text(client_for(reviewer).get(review))
    assert "点击“新建方案”开始编制" in text(client_for(committee_user).get(LIST))
