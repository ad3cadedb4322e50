import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from zhicheng.catalog.models import TitleSeries
from zhicheng.committees import selectors, services
from zhicheng.committees.models import CommitteeLevel, CommitteeStatus

pytestmark = pytest.mark.django_db


def test_the_province_bureau_reads_and_manages_every_committee(
    hr_province, province_committee, city_committee
):
    assert set(selectors.committee_readable(hr_province)) == {province_committee, city_committee}
    assert set(selectors.committee_managed(hr_province)) == {province_committee, city_committee}


def test_a_city_bureau_manages_its_own_and_reads_the_province_ones(
    hr_city, province_committee, city_committee
):
    assert set(selectors.committee_managed(hr_city)) == {city_committee}
    assert set(selectors.committee_readable(hr_city)) == {province_committee, city_committee}


def test_a_county_plan_reviewer_reads_the_committees_above_but_manages_none(
    orgs, make_user, province_committee, city_committee
):
    from zhicheng.accounts.roles import Role

    reviewer = make_user(orgs["county_jn"], Role.PLAN_REVIEWER)
    assert set(selectors.committee_readable(reviewer)) == {province_committee, city_committee}
    assert not selectors.committee_managed(reviewer).exists()


def test_a_province_plan_reviewer_reads_everything_and_manages_nothing(
    plan_reviewer, province_committee, city_committee
):
    assert set(selectors.committee_readable(plan_reviewer)) == {
        province_committee,
        city_committee,
    }
    assert not selectors.committee_managed(plan_reviewer).exists()


def test_another_city_bureau_does_not_see_a_sibling_citys_committee(
    hr_suzhou, province_committee, city_committee
):
    assert set(selectors.committee_readable(hr_suzhou)) == {province_committee}
    assert not selectors.committee_managed(hr_suzhou).exists()
    with pytest.raises(Http404):
        selectors.committee_get(user=hr_suzhou, pk=city_committee.pk)


def test_reading_a_province_committee_from_a_city_is_allowed_but_managing_it_is_403(
    hr_city, province_committee
):
    assert selectors.committee_get(user=hr_city, pk=province_committee.pk) == province_committee
    with pytest.raises(PermissionDenied):
        selectors.committee_get_for_manage(user=hr_city, pk=province_committee.pk)


def test_a_committee_account_sees_only_its_own_committee(province_committee, city_committee):
    account = province_committee.account
    assert list(selectors.committee_readable(account)) == [province_committee]
    assert not selectors.committee_managed(account).exists()
    assert selectors.committee_for_account(user=account) == province_committee
    with pytest.raises(Http404):
        selectors.committee_get(user=account, pk=city_committee.pk)


def test_applicants_and_employers_see_no_committees(
    applicant, employer_officer, province_committee, city_committee
):
    # Employer officers are officers, but their subtree holds no bureau, and the committees of
    # superior bureaus are readable only with the view permission, which employers lack.
    assert not selectors.committee_readable(applicant).exists()
    assert not selectors.committee_readable(employer_officer).exists()
    assert not selectors.committee_managed(employer_officer).exists()
    assert selectors.committee_for_account(user=applicant) is None


def test_missing_and_malformed_ids_are_404(hr_province):
    for pk in (999_999, "abc", None):
        with pytest.raises(Http404):
            selectors.committee_get(user=hr_province, pk=pk)


def test_the_list_filters_by_name_level_account_and_status(
    hr_province, province_committee, city_committee
):
    def names(**filters):
        return {c.name for c in selectors.committee_list(user=hr_province, **filters)}

    assert names(name="南京") == {"南京市工程中评会"}
    assert names(level=CommitteeLevel.SENIOR) == {"省工程高评会"}
    assert names(account="PWH_NJ") == {"南京市工程中评会"}
    services.committee_deregister(actor=hr_province, committee=city_committee, reason="撤销")
    assert names(status=CommitteeStatus.DEREGISTERED) == {"南京市工程中评会"}
    assert names(status=CommitteeStatus.ACTIVE) == {"省工程高评会"}


def test_the_list_filters_by_validity(hr_province, make_committee, today):
    make_committee(hr_province, name="有效")
    make_committee(
        hr_province,
        name="过期",
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),
    )
    make_committee(
        hr_province,
        name="未生效",
        valid_from=today + dt.timedelta(days=1),
        valid_until=today + dt.timedelta(days=30),
    )

    def names(validity):
        return {c.name for c in selectors.committee_list(user=hr_province, validity=validity)}

    assert names(selectors.Validity.VALID) == {"有效"}
    assert names(selectors.Validity.EXPIRED) == {"过期"}
    assert names(selectors.Validity.NOT_YET) == {"未生效"}


def test_committees_accepting_work_for_routing(hr_province, make_committee, today, series_eng):
    good = make_committee(hr_province)
    make_committee(
        hr_province,
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),
    )
    assert list(selectors.committees_accepting_work(level=CommitteeLevel.SENIOR)) == [good]
    assert list(selectors.committees_accepting_work(series=series_eng.pk)) == [good]
    assert not selectors.committees_accepting_work(level=CommitteeLevel.JUNIOR).exists()


@pytest.mark.parametrize("url_name", ["committees:committee-list", "committees:committee-query"])
def test_the_list_pages_run_a_constant_number_of_queries(
    client, hr_province, make_committee, django_assert_max_num_queries, url_name
):
    """What the page renders — 职称系列 as “卫生·护理” reads the parent series — not just the
    selector's rows."""
    nursing = TitleSeries.objects.get(code="health_nursing")
    client.force_login(hr_province)
    url = reverse(url_name)
    make_committee(hr_province, series=nursing)
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for _ in range(5):
        make_committee(hr_province, series=nursing)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("卫生·护理") >= 6
