"""The organization services check the actor's permission themselves: an officer whose scope
covers the tree but who holds no 机构管理 permission (an audit admin of the province bureau)
changes nothing."""

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs import services
from zhicheng.orgs.models import Organization, OrgStatus, OrgType

REFUSED = "您没有执行此操作的权限"


@pytest.fixture
def auditor(orgs, make_user):
    return make_user(orgs["province"], Role.AUDIT_ADMIN, username="t_org_auditor")


def test_creating_organizations_needs_the_add_permission(orgs, auditor):
    before = Organization.objects.count()
    with pytest.raises(ApplicationError, match=REFUSED):
        services.organization_create(
            actor=auditor,
            parent=orgs["city_nj"],
            name="南京某新单位",
            uscc="91320100MA1W9X2H3K",
            org_type=OrgType.EMPLOYER,
            region_code="320100",
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.organization_bulk_create(
            actor=auditor,
            drafts=[
                services.OrganizationDraft(
                    name="南京某新单位",
                    uscc="91320100MA1W9X2H3K",
                    org_type=OrgType.EMPLOYER,
                    region_code="320100",
                    parent_uscc=orgs["city_nj"].uscc,
                )
            ],
        )
    assert Organization.objects.count() == before


def test_editing_or_deregistering_needs_the_change_and_deregister_permissions(orgs, auditor):
    unit = orgs["unit_a"]
    with pytest.raises(ApplicationError, match=REFUSED):
        services.organization_update(actor=auditor, organization=unit, name="改名")
    with pytest.raises(ApplicationError, match=REFUSED):
        services.organization_deregister(actor=auditor, organization=unit)
    unit.refresh_from_db()
    assert unit.name != "改名" and unit.status == OrgStatus.ACTIVE


def test_an_hr_officer_holds_them(orgs, hr_city):
    org = services.organization_update(actor=hr_city, organization=orgs["unit_a"], name="改名单位")
    assert org.name == "改名单位"
