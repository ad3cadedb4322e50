import pytest
from django.contrib.auth.models import Group
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.orgs.models import Organization


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_city_officer_sees_own_subtree_only(orgs, hr_city):
    visible = scoped(Organization.objects.all(), hr_city)
    assert orgs["city_nj"].name in names(visible)
    assert orgs["unit_a"].name in names(visible)
    assert orgs["province"].name not in names(visible)
    assert orgs["city_sz"].name not in names(visible)
    assert orgs["unit_f"].name not in names(visible)


def test_province_officer_sees_the_whole_tree(orgs, hr_province):
    assert scoped(Organization.objects.all(), hr_province).count() == Organization.objects.count()


def test_applicant_sees_only_own_user_record_and_no_organizations(orgs, applicant, hr_city):
    assert list(scoped(User.objects.all(), applicant)) == [applicant]
    assert not scoped(Organization.objects.all(), applicant).exists()


def test_users_are_scoped_by_their_organization(orgs, hr_city, make_user):
    inside = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    outside = make_user(orgs["unit_f"], Role.EMPLOYER_OFFICER)
    visible = scoped(User.objects.all(), hr_city)
    assert inside in visible
    assert outside not in visible


def test_a_user_without_roles_sees_nothing(orgs, make_user):
    nobody = make_user(orgs["province"])
    assert not scoped(Organization.objects.all(), nobody).exists()
    assert not scoped(User.objects.all(), nobody).exists()


def test_anonymous_and_inactive_users_see_nothing(orgs, hr_province):
    from django.contrib.auth.models import AnonymousUser

    assert not scoped(Organization.objects.all(), AnonymousUser()).exists()
    assert not scoped(Organization.objects.all(), None).exists()
    hr_province.is_active = False
    assert not scoped(Organization.objects.all(), hr_province).exists()


def test_a_model_without_a_scope_rule_returns_nothing(hr_province):
    assert not scoped(Group.objects.all(), hr_province).exists()


def test_out_of_scope_and_missing_both_give_404(orgs, hr_city):
    assert get_scoped_or_404(Organization.objects.all(), hr_city, orgs["unit_a"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(Organization.objects.all(), hr_city, orgs["unit_f"].pk)
    with pytest.raises(Http404):
        get_scoped_or_404(Organization.objects.all(), hr_city, 999_999)
    with pytest.raises(Http404):
        get_scoped_or_404(Organization.objects.all(), hr_city, "abc")
