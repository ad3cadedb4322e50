"""Deny-by-default scope of applications, attachments, review records and title holdings."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhicheng.accounts.roles import Role
from zhicheng.applications import selectors, services
from zhicheng.applications.models import Application, Attachment, ReviewRecord
from zhicheng.common.scoping import scoped
from zhicheng.titles.models import TitleHolding


def test_an_officer_on_the_route_sees_the_application_once(world, submitted):
    app = submitted("evaluation")
    # Five of the six route organizations lie in the province's subtree: still one row.
    rows = scoped(Application.objects.all(), world.officers["province"])
    assert list(rows) == [app]
    assert selectors.application_list(user=world.officers["province"]).count() == 1


def test_officers_off_the_route_see_nothing_and_get_404(world, submitted, make_user):
    app = submitted("evaluation")
    outsiders = [
        make_user(world.orgs["city_sz"], Role.HR_OFFICER),
        make_user(world.orgs["unit_b"], Role.EMPLOYER_OFFICER),  # a sibling of unit_a
        make_user(world.orgs["dept_jn_edu"], Role.EMPLOYER_OFFICER),
    ]
    for user in outsiders:
        assert not scoped(Application.objects.all(), user).exists()
        assert not scoped(Attachment.objects.all(), user).exists()
        assert not scoped(ReviewRecord.objects.all(), user).exists()
        with pytest.raises(Http404):
            selectors.application_get(user=user, pk=app.pk)


def test_nobody_but_the_applicant_sees_a_draft(world, draft, make_user):
    app = draft("evaluation")
    assert selectors.application_get(user=world.applicant, pk=app.pk) == app
    for user in (world.officers["unit_a"], world.officers["province"], world.committee_account):
        with pytest.raises(Http404):
            selectors.application_get(user=user, pk=app.pk)
        with pytest.raises(Http404):
            selectors.attachment_get(user=user, pk=app.attachments.first().pk)


def test_an_applicant_sees_only_their_own(world, submitted, make_applicant):
    app = submitted("evaluation")
    other = make_applicant("李娜").user
    assert not scoped(Application.objects.all(), other).exists()
    assert not scoped(Attachment.objects.all(), other).exists()
    assert selectors.applicant_messages(user=other) == []
    with pytest.raises(Http404):
        selectors.attachment_get(user=other, pk=app.attachments.first().pk)


def test_a_committee_sees_only_applications_addressed_to_it(world, submitted, climb, make_user):
    app = climb(submitted("evaluation"), "unit_a")
    committee = world.committee_account
    assert list(selectors.application_list(user=committee)) == [app]
    assert selectors.application_list(user=committee, scope="todo").count() == 0
    app = climb(app, "dept_jn_it", "county_jn", "city_nj", "province")
    assert list(selectors.application_list(user=committee, scope="todo")) == [app]
    other_committee = make_user(world.orgs["organizer_eng"], Role.COMMITTEE)
    assert not scoped(Application.objects.all(), other_committee).exists()


def test_title_holdings_are_seen_by_the_holder_and_the_approving_subtree(
    world, submitted, climb, make_user
):
    climb(submitted("initial"), "unit_a", "dept_jn_it", "county_jn", "city_nj")
    assert scoped(TitleHolding.objects.all(), world.applicant).count() == 1
    assert scoped(TitleHolding.objects.all(), world.officers["province"]).count() == 1
    assert not scoped(
        TitleHolding.objects.all(), make_user(world.orgs["city_sz"], Role.HR_OFFICER)
    ).exists()


def test_the_review_list_runs_a_constant_number_of_queries(
    world, client, submitted, make_applicant
):
    officer = world.officers["unit_a"]
    client.force_login(officer)
    url = reverse("applications:review-list")
    submitted("evaluation")
    client.get(url)  # warm caches (permissions, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        submitted("evaluation", user=make_applicant(f"测试{n}").user)
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert response.content.decode().count("data-application=") == 4
    assert len(four) == len(one)


def test_the_count_stops_just_above_the_cap(world, submitted):
    for _ in range(3):
        services.application_withdraw(actor=world.applicant, application=submitted("evaluation"))
    assert selectors.application_list(user=world.officers["province"]).count() == 3
    assert Application.objects.as_list_page(count_cap=5).count() == 3
    assert Application.objects.as_list_page(count_cap=1).count() == 2  # cap + 1 reads "超过 1 条"
    assert (
        Application.objects.as_list_page(count_cap=1).filter(pk__gt=0).count() == 2
    )  # kept on clone


@pytest.mark.parametrize("scope", ["todo", "all"])
def test_a_list_page_fetches_its_rows_by_their_ids_alone_in_the_page_order(
    world, submitted, make_applicant, scope
):
    from zhicheng.blacklist.models import BlacklistReason
    from zhicheng.blacklist.services import blacklist_entry_create

    apps = [submitted("evaluation")]
    for n in range(3):
        apps.append(submitted("evaluation", user=make_applicant(f"测试{n}").user))
    blacklist_entry_create(
        actor=world.officers["province"],
        person=apps[2].person,
        reason=BlacklistReason.FALSE_MATERIALS,
        document_number="苏人社职〔2026〕9号",
        start_date=world.today,
    )
    # 全部 joins the officer's scope node and orders by its copy; 待我审核 tests an EXISTS.
    page = selectors.application_list(user=world.officers["unit_a"], scope=scope)[:3]
    with CaptureQueriesContext(connection) as queries:
        rows = list(page)
    assert [app.pk for app in rows] == [app.pk for app in reversed(apps)][:3]
    assert [app.is_blacklisted for app in rows] == [False, True, False]
    assert rows[0].person.name == "测试2"  # related rows in the same query
    ids_query, rows_query = (q["sql"] for q in queries.captured_queries)
    assert "applicationroutenode" in ids_query
    # The second step neither repeats the scope and the filters nor orders.
    where = rows_query.rsplit(" WHERE ", 1)[1]  # the outer one (the blacklist EXISTS has its own)
    assert where.startswith('"applications_application"."id" IN (')
    assert "applicationroutenode" not in rows_query
    assert "submitted_at" not in where and "ORDER BY" not in rows_query


def _copies(app):
    from zhicheng.applications.models import ApplicationRouteNode

    fields = ApplicationRouteNode.COPIED_FIELDS
    expected = tuple(getattr(app, field) for field in fields)
    rows = set(ApplicationRouteNode.objects.filter(application=app).values_list(*fields))
    return rows, expected


def test_scope_nodes_carry_the_list_columns_through_submission_return_and_edit(
    world, submitted, climb
):
    app = submitted("evaluation")
    rows, expected = _copies(app)
    assert rows == {expected}
    app = climb(app, "unit_a")
    app = services.application_return(
        actor=world.officers["dept_jn_it"], application=app, opinion="补充材料"
    )
    app = services.application_return(
        actor=world.officers["unit_a"], application=app, opinion="补充材料"
    )
    app = services.application_update(actor=world.applicant, application=app, major="机械工程")
    app = services.application_resubmit(actor=world.applicant, application=app)
    app.refresh_from_db()
    rows, expected = _copies(app)
    assert rows == {expected}  # the new submission time on every node, old ones included


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({}, True),
        ({"name": "张"}, True),  # a surname, answered on the officer's node
        ({"name": "李"}, False),
        ({"name": "张伟"}, True),
        ({"level": "senior_deputy"}, True),
        ({"level": "intermediate"}, False),
        ({"acquisition_method": "initial"}, False),
        ({"acquisition_method": "evaluation", "status": "under_review"}, True),
        ({"status": "approved"}, False),
    ],
)
def test_the_officers_query_filters_on_their_node(world, submitted, filters, found):
    app = submitted("evaluation")
    for key in ("province", "city_nj", "county_jn", "unit_a"):
        rows = selectors.application_list(user=world.officers[key], **filters)
        assert list(rows) == ([app] if found else []), (key, filters)
        assert rows.count() == (1 if found else 0)
    by_year = selectors.application_list(user=world.officers["city_nj"], year=app.year)
    assert list(by_year) == [app]
    assert not selectors.application_list(user=world.officers["city_nj"], year=app.year - 1)
    by_title = selectors.application_list(user=world.officers["city_nj"], title=app.title_id)
    assert list(by_title) == [app]


def test_migration_0007_backfills_the_node_copies(world, submitted):
    """The backfill of migration 0007 (standard UPDATE … FROM) on this database."""
    from importlib import import_module

    from zhicheng.applications.models import ApplicationRouteNode

    backfill = import_module(
        "zhicheng.applications.migrations.0007_route_node_list_columns"
    ).BACKFILL
    app = submitted("evaluation")
    ApplicationRouteNode.objects.update(
        person=None, title=None, acquisition_method="", level="", year=None, submitted_at=None
    )
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    rows, expected = _copies(app)
    assert rows == {expected}
