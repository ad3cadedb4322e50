import pytest

from zhicheng.accounts.demo import load_demo_accounts
from zhicheng.accounts.models import User
from zhicheng.committees import demo, services
from zhicheng.committees.models import Committee, CommitteeLevel
from zhicheng.common.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_the_demo_links_the_existing_committee_eng_account_and_is_idempotent(orgs):
    load_demo_accounts(orgs)
    users_before = User.objects.count()
    demo.load(orgs)
    demo.load(orgs)
    assert User.objects.count() == users_before  # linked, not created
    committee = Committee.objects.get()
    assert committee.account.username == "committee_eng"
    assert committee.name == "江苏省工程技术高级职称评审委员会"
    assert committee.level == CommitteeLevel.SENIOR
    assert committee.series.code == "engineering"
    assert committee.organization == orgs["province"]
    assert committee.is_accepting_work
    assert (committee.valid_until - committee.valid_from).days >= 3 * 365 - 1
    assert list(committee.organizers.all()) == [orgs["organizer_eng"]]
    assert committee.specialty_links.count() == len(demo.SPECIALTY_CODES)
    assert sorted(committee.fees.values_list("item", flat=True)) == ["material", "review"]
    assert not User.objects.get(username="committee_eng").must_change_password


def test_only_an_unlinked_committee_account_can_be_linked(
    orgs, hr_province, province_committee, series_eng, today
):
    kwargs = {
        "actor": hr_province,
        "name": "链接测试",
        "level": CommitteeLevel.SENIOR,
        "series": series_eng,
        "approval_number": "1",
        "valid_from": today,
        "valid_until": today,
    }
    with pytest.raises(ApplicationError, match="不是评委会账号"):
        services.committee_create(existing_account=hr_province, **kwargs)
    with pytest.raises(ApplicationError, match="已属于另一个评委会"):
        services.committee_create(existing_account=province_committee.account, **kwargs)
