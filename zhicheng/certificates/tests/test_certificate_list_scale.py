"""1.19 / 1.20 over a million certificates: an officer's scope resolved to its issuing units
first (same rows as ``scoped``), the count capped on the page and whole in the export, the
name searched like every other 姓名 query."""

from __future__ import annotations

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.certificates import selectors
from zhicheng.certificates.models import Certificate
from zhicheng.common.scoping import scoped


@pytest.fixture
def people(orgs, make_user, hr_city, hr_suzhou, hr_province, issued, world):
    county = make_user(orgs["county_jn"], Role.HR_OFFICER, username="t_hr_county_list")
    return {
        "province": hr_province,
        "city": hr_city,
        "suzhou": hr_suzhou,
        "county": county,
        "holder": world.applicant,
    }


def test_an_officers_scope_resolved_to_units_lists_the_same_certificates(people, issued):
    for key, user in people.items():
        expected = set(scoped(Certificate.objects.all(), user).values_list("pk", flat=True))
        found = set(
            selectors.scoped_certificates(Certificate.objects.all(), user).values_list(
                "pk", flat=True
            )
        )
        assert found == expected, key
    assert len(set(selectors.scoped_certificates(Certificate.objects.all(), people["city"]))) == 2
    assert not selectors.scoped_certificates(Certificate.objects.all(), people["suzhou"]).exists()
    assert not selectors.scoped_certificates(Certificate.objects.all(), people["county"]).exists()


def test_an_inactive_officer_sees_no_certificate(people):
    officer = people["city"]
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert not selectors.scoped_certificates(Certificate.objects.all(), officer).exists()


def test_the_list_page_counts_up_to_the_cap_and_the_export_counts_all(
    people, issued, monkeypatch, client
):
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    listed = selectors.certificate_list(user=people["city"])
    assert listed.count() == 2  # the cap + 1: "more than the cap"
    assert [c.pk for c in listed[:1]] == [max(c.pk for c in issued)]  # newest first
    assert selectors.certificate_list(user=people["city"], capped=False).count() == 2
    client.force_login(people["city"])
    page = client.get("/certificates/").content.decode()
    assert "超过 1 条，请缩小查询范围" in page
    monkeypatch.setattr(selectors, "COUNT_CAP", 1000)
    page = client.get("/certificates/").content.decode()
    assert "共 2 条" in page


def test_the_name_is_searched_as_a_surname_or_a_substring(people, issued):
    holder_name = issued[1].holding.person.name  # 持证1
    officer = people["city"]
    assert [c.pk for c in selectors.certificate_list(user=officer, name=holder_name)] == [
        issued[1].pk
    ]
    assert [c.pk for c in selectors.certificate_list(user=officer, name=holder_name[1:])] == [
        issued[1].pk
    ]
    surname = holder_name[0]
    assert issued[1].pk in {c.pk for c in selectors.certificate_list(user=officer, name=surname)}
    # One character is a surname, not any character of the name.
    assert not selectors.certificate_list(user=officer, name=holder_name[-1]).exists()
    reports = selectors.national_report_list(user=officer, name=holder_name)
    assert [c.pk for c in reports] == [issued[1].pk]
