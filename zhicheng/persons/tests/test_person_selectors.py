import pytest
from django.http import Http404

from zhicheng.accounts.roles import Role
from zhicheng.persons import selectors
from zhicheng.persons.tests.factories import id_number, make_person


@pytest.fixture
def people(orgs):
    return {
        "nj": make_person("南京张伟", organization=orgs["unit_a"], number=id_number(seq="011")),
        "sz": make_person("苏州张伟", organization=orgs["unit_f"], number=id_number(seq="013")),
        "none": make_person("无单位张伟", number=id_number(seq="015")),
    }


def names(items):
    return {p.name for p in items}


def test_city_officer_sees_persons_employed_in_their_subtree(people, hr_city):
    assert names(selectors.person_list(user=hr_city)) == {"南京张伟"}


def test_province_officer_sees_all_employed_persons_but_not_those_without_employer(
    people, hr_province
):
    assert names(selectors.person_list(user=hr_province)) == {"南京张伟", "苏州张伟"}


def test_applicant_sees_only_their_own_person(orgs, people, applicant):
    own = make_person("申报人本人", number=id_number(seq="017"))
    own.user = applicant
    own.save()
    assert names(selectors.person_list(user=applicant)) == {"申报人本人"}
    assert selectors.person_for_user(applicant) == own
    with pytest.raises(Http404):
        selectors.person_get(user=applicant, pk=people["nj"].pk)


def test_typeahead_by_name_substring_is_scoped(people, hr_city):
    assert names(selectors.person_typeahead(user=hr_city, search="张伟")) == {"南京张伟"}


def test_typeahead_by_number_prefix_is_scoped(people, hr_city):
    found = selectors.person_typeahead(user=hr_city, search=people["nj"].id_number[:10])
    assert names(found) == {"南京张伟"}


def test_hr_officer_finds_anyone_by_the_full_number(people, hr_city):
    for key in ("sz", "none"):
        found = selectors.person_typeahead(user=hr_city, search=people[key].id_number)
        assert [p.pk for p in found] == [people[key].pk]


def test_the_exact_number_exception_does_not_extend_to_prefixes_or_names(people, hr_city):
    assert selectors.person_typeahead(user=hr_city, search=people["sz"].id_number[:17]) == []
    assert selectors.person_typeahead(user=hr_city, search="苏州张伟") == []


def test_employer_officer_has_no_exact_number_exception(orgs, people, make_user):
    officer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    assert selectors.person_typeahead(user=officer, search=people["sz"].id_number) == []
    assert names(selectors.person_typeahead(user=officer, search="张伟")) == {"南京张伟"}


def test_typeahead_returns_at_most_twenty(orgs, hr_city):
    for i in range(25):
        make_person(f"批量{i}", organization=orgs["unit_b"], number=id_number(seq=f"{200 + i}"))
    assert len(selectors.person_typeahead(user=hr_city, search="批量")) == 20


def test_empty_search_finds_nothing(people, hr_province):
    assert selectors.person_typeahead(user=hr_province, search="  ") == []


def test_find_by_number_is_exact_and_unscoped_only_for_hr(orgs, people, hr_city, make_user):
    number = people["sz"].id_number
    assert selectors.person_find_by_id_number(user=hr_city, id_number=number) == people["sz"]
    officer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    assert selectors.person_find_by_id_number(user=officer, id_number=number) is None
