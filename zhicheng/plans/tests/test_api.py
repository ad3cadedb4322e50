"""/api/v1/plans/: the committee compiles and submits through the API, reviewers of the plan's
kind review it; scope, permissions and bad input (Chinese 400s, nothing changed)."""

import pytest

from zhicheng.applications.tests.conftest import specialty
from zhicheng.plans.models import EvaluationPlan, PlanStatus

URL = "/api/v1/plans/"


def test_the_whole_plan_through_the_api(api_client, committee_user, qualified, reviewer):
    (app,) = qualified(1)
    committee = api_client(committee_user)
    created = committee.post(URL, {"name": "API 方案", "year": 2026}, format="json")
    assert created.status_code == 201, created.json()
    plan_url = f"{URL}{created.json()['id']}/"
    body = committee.post(f"{plan_url}participants/", {"applications": [app.pk]}, format="json")
    assert [p["name"] for p in body.json()["participants"]] == ["张伟"]
    expert = {"specialty": specialty("080201").pk, "level": "senior_full", "count": 5}
    assert committee.post(f"{plan_url}experts/", expert, format="json").status_code == 200
    for name, score in (("业绩", 50), ("答辩", 50)):
        committee.post(f"{plan_url}scoring/", {"name": name, "max_score": score}, format="json")
    submitted = committee.post(f"{plan_url}submit/")
    assert submitted.json()["status"] == "submitted"
    review = api_client(reviewer).post(
        f"{plan_url}review/", {"approved": True, "opinion": "同意"}, format="json"
    )
    assert review.status_code == 200
    assert (review.json()["status_display"], review.json()["reviewed_by_name"]) == (
        "审核通过",
        str(reviewer),
    )


@pytest.mark.parametrize(
    ("path", "payload", "field", "message"),
    [
        ("scoring/", {"name": "业绩", "max_score": 101}, "max_score", "小于或者等于 100"),
        ("scoring/", {"name": "", "max_score": 10}, "name", "不能为空"),
        ("experts/", {"specialty": 0, "level": "x", "count": 1}, "level", "不是合法选项"),
        ("participants/", {"applications": []}, "applications", "不能为空"),
        ("participants/", {"applications": [999999]}, "detail", "不具备本评委会参评资格"),
        ("submit/", {}, "detail", "方案不完整"),
    ],
)
def test_bad_input_is_a_chinese_400_and_nothing_changes(
    api_client, committee_user, plan, path, payload, field, message
):
    response = api_client(committee_user).post(f"{URL}{plan.pk}/{path}", payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not plan.scoring.exists() and not plan.participants.exists()


def test_scope_and_permissions(
    api_client, complete_plan, committee_user, reviewer, special_reviewer, hr_city, applicant
):
    assert api_client(reviewer).get(f"{URL}{complete_plan.pk}/").status_code == 404  # a draft
    api_client(committee_user).post(f"{URL}{complete_plan.pk}/submit/")
    assert api_client(reviewer).get(URL).json()["count"] == 1
    assert api_client(hr_city).get(URL).json()["count"] == 0
    assert api_client(applicant).get(URL).status_code == 403
    wrong_kind = api_client(special_reviewer).post(
        f"{URL}{complete_plan.pk}/review/", {"approved": True}, format="json"
    )
    assert wrong_kind.status_code == 403
    assert "正常方案与特殊方案由不同人员审核" in wrong_kind.json()["detail"]
    compile_as_reviewer = api_client(reviewer).post(
        f"{URL}{complete_plan.pk}/scoring/", {"name": "越权", "max_score": 1}, format="json"
    )
    assert compile_as_reviewer.status_code == 403
    assert EvaluationPlan.objects.get().status == PlanStatus.SUBMITTED


def test_a_double_review_changes_nothing_the_second_time(
    api_client, complete_plan, committee_user, reviewer
):
    api_client(committee_user).post(f"{URL}{complete_plan.pk}/submit/")
    client = api_client(reviewer)
    first = client.post(f"{URL}{complete_plan.pk}/review/", {"approved": True}, format="json")
    second = client.post(
        f"{URL}{complete_plan.pk}/review/", {"approved": False, "opinion": "不同意"}, format="json"
    )
    assert (first.status_code, second.status_code) == (200, 400)
    assert "该方案已被处理" in second.json()["detail"]
    complete_plan.refresh_from_db()
    assert complete_plan.status == PlanStatus.APPROVED
