"""The one open application rule (``rules.check_one_open_per_series``): a person has at most one
进行中 (草稿, 审核中, 已退回, or a 评审 qualified and waiting for its evaluation) application per
职称系列, whatever its 级别, 取得方式 and year. Enforced at 新建, at 修改 and at 提交, on the page
and in the API (400), with one Chinese message; other series, withdrawn and finished
applications do not block."""

import pytest
from django.urls import reverse

from zhicheng.applications import services
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.applications.tests.test_api import BASE, _create_payload
from zhicheng.applications.tests.test_pages import _form_data
from zhicheng.common.errors import ApplicationError

from .conftest import title_named

RULE = "同一职称系列同时只能有一个进行中的申报"


def test_a_second_open_application_of_the_same_series_and_level_is_refused(world, submitted, draft):
    submitted("evaluation")
    with pytest.raises(ApplicationError, match=RULE) as info:
        draft("evaluation")
    assert "您已有进行中的工程系列职称申报" in info.value.message
    assert "“高级工程师”，评审，审核中" in info.value.message
    assert Application.objects.filter(person=world.zhang).count() == 1


def test_the_rule_holds_whatever_the_acquisition_method_and_year(world, draft):
    draft("recognition")  # 认定 工程师 (中级), a draft
    with pytest.raises(ApplicationError, match=RULE):
        draft("initial", title=title_named("工程师"))
    with pytest.raises(ApplicationError, match=RULE):
        draft("recognition", year=world.today.year + 1)


def test_an_open_initial_engineer_refuses_a_senior_evaluation_of_the_same_series(world, draft):
    """Issue 10: an open 初定 工程师 and a 评审 高级工程师 at once — titles are climbed one level
    at a time, one application per series is under way."""
    draft("initial", title=title_named("工程师"), complete=False)
    with pytest.raises(ApplicationError, match=RULE) as info:
        draft("evaluation")
    assert info.value.message == (
        f"您已有进行中的工程系列职称申报（{world.today.year}年度“工程师”，初定，草稿），"
        "同一职称系列同时只能有一个进行中的申报；请待其办结，或撤回后再申报"
    )
    assert Application.objects.filter(person=world.zhang).count() == 1


def test_another_level_of_the_same_series_is_refused(world, draft, submitted):
    submitted("evaluation")
    with pytest.raises(ApplicationError, match="“高级工程师”，评审，审核中"):
        draft("initial")


def test_another_series_is_allowed(world, draft, submitted):
    submitted("evaluation")
    laboratory = title_named("实验师", "laboratory")
    assert draft("recognition", title=laboratory).status == ApplicationStatus.DRAFT


def test_a_withdrawn_application_does_not_block(world, draft):
    services.application_withdraw(actor=world.applicant, application=draft("evaluation"))
    assert draft("evaluation").status == ApplicationStatus.DRAFT


def test_a_granted_title_is_finished_but_a_qualified_evaluation_is_still_open(
    world, submitted, climb, draft
):
    climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")  # held
    again = draft("initial")
    assert again.status == ApplicationStatus.DRAFT
    services.application_withdraw(actor=world.applicant, application=again)
    climb(
        submitted("evaluation"),
        "unit_a",
        "dept_jn_it",
        "county_jn",
        "city_nj",
        "province",
        "committee",
    )
    with pytest.raises(ApplicationError, match="审核通过，待评审"):
        draft("evaluation")


def test_the_rule_is_checked_again_at_submit_and_on_change(world, draft):
    draft("evaluation")
    second = draft("recognition", title=title_named("实验师", "laboratory"))
    # A row made before the rule (or by an import): the rule refuses it at 提交 and at 修改.
    Application.objects.filter(pk=second.pk).update(title=title_named("工程师"))
    second.refresh_from_db()
    with pytest.raises(ApplicationError, match=RULE):
        services.application_submit(actor=world.applicant, application=second)
    with pytest.raises(ApplicationError, match=RULE):
        services.application_update(actor=world.applicant, application=second, school="南京大学")


def test_the_new_application_page_shows_the_rule(world, client, submitted):
    submitted("evaluation")
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:application-create"), _form_data(world, kind="evaluation")
    )
    assert response.status_code == 200
    assert RULE in response.content.decode()
    assert Application.objects.filter(person=world.zhang).count() == 1


def test_the_api_answers_400_with_the_rule(world, api_client, submitted):
    submitted("evaluation")
    response = api_client(world.applicant).post(BASE, _create_payload(world), format="json")
    assert response.status_code == 400
    assert RULE in response.json()["detail"]
