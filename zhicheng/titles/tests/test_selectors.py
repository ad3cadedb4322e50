"""Who sees which 取得职称: the holder, and officers of the approving organization's subtree;
nobody else. A revoked holding stays visible but is no longer in force."""

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from zhicheng.accounts.roles import Role
from zhicheng.titles import selectors, services
from zhicheng.titles.models import TitleHolding


def test_holdings_are_seen_by_the_holder_and_the_approving_subtree(
    world, approved, make_applicant, make_user
):
    holding = TitleHolding.objects.get(application=approved())
    assert list(selectors.title_holdings(user=world.applicant)) == [holding]
    assert list(selectors.title_holdings_of_holder(holder=world.applicant)) == [holding]
    for level in ("city_nj", "province"):
        assert list(selectors.title_holdings(user=world.officers[level])) == [holding]
    # below the approving bureau, another city, another applicant, a committee, nobody
    outside = [
        world.officers["county_jn"],
        make_user(world.orgs["city_sz"], Role.HR_OFFICER),
        make_applicant("李娜").user,
        world.committee_account,
        AnonymousUser(),
        None,
    ]
    for user in outside:
        assert not selectors.title_holdings(user=user).exists()


def test_a_write_locks_only_a_visible_holding_in_force(world, approved, revoker, make_user):
    holding = TitleHolding.objects.get(application=approved())
    suzhou = make_user(world.orgs["city_sz"], Role.HR_OFFICER)
    with transaction.atomic():
        assert selectors.title_holding_for_update(user=revoker, holding_id=holding.pk) == holding
        assert selectors.title_holding_for_update(user=suzhou, holding_id=holding.pk) is None
    services.title_holding_revoke(actor=revoker, holding=holding, reason="材料造假")
    with transaction.atomic():
        assert selectors.title_holding_for_update(user=revoker, holding_id=holding.pk) is None
    assert list(selectors.title_holdings(user=revoker)) == [holding]
    assert not selectors.title_holdings(user=revoker, in_force=True).exists()
