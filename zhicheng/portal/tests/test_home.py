"""The officers' home (待办): counts of what waits for the user, each linking to its list,
overdue flagged; this year's applications by status for the chart; nothing a role cannot use."""
# ruff: noqa: F811 — the fixtures imported from the applications tests are requested by name.

import json

import pytest
from django.test import Client
from django.urls import reverse

from zhicheng.applications.tests.conftest import (  # noqa: F401  (fixtures)
    climb,
    draft,
    make_applicant,
    private_media,
    submitted,
    world,
)


def home(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:home"))


def card(response, key):
    return next(c for c in response.context["todo_cards"] if c.key == key)


def test_an_employer_sees_what_waits_for_it_and_what_is_overdue(world, submitted, settings):
    submitted("initial")
    officer = world.officers["unit_a"]
    response = home(officer)
    todo = card(response, "todo")
    assert (todo.count, todo.overdue) == (1, 0)
    assert todo.url == reverse("applications:review-list") + "?scope=todo"
    assert card(response, "returned").count == 0
    body = response.content.decode()
    assert 'data-todo="todo"' in body and 'data-todo="to_issue"' not in body  # not its business

    settings.ZHICHENG_REVIEW_OVERDUE_DAYS = 0  # everything that has waited at all is overdue
    response = home(officer)
    assert card(response, "todo").overdue == 1
    assert "超期 1" in response.content.decode()
    # The next level has nothing yet.
    assert card(home(world.officers["dept_jn_it"]), "todo").count == 0


def test_the_chart_counts_this_years_applications_of_the_scope(world, submitted, climb):
    climb(submitted("initial"), "unit_a")
    response = home(world.officers["city_nj"])
    chart = response.context["status_chart"]
    counts = dict(zip(chart["labels"], chart["counts"], strict=True))
    assert counts["审核中"] == 1 and "草稿" not in counts
    body = response.content.decode()
    data = body.split('id="status-chart-data"', 1)[1].split(">", 1)[1].split("</script>")[0]
    assert json.loads(data)["counts"] == chart["counts"]


def test_a_bureau_sees_titles_awaiting_certificates(world, submitted, climb):
    climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
    response = home(world.officers["city_nj"])
    to_issue = card(response, "to_issue")
    assert to_issue.count == 1
    assert to_issue.url == reverse("certificates:issue-list") + "?issued=0"


@pytest.mark.parametrize("role", ["system_admin", "audit_admin"])
def test_roles_without_review_work_get_no_todo_cards(orgs, make_user, role):
    user = make_user(orgs["province"], role, username=f"t_{role}")
    response = home(user)
    assert response.context["todo_cards"] == [] and response.context["status_chart"] is None
