"""人事代理 / 非公职称申报点: an AGENCY organization is the 用人单位 node of applicants without a
public employer — found by the applicant's typeahead, linked on a route as 用人单位, and the
first level their application goes to."""

from zhicheng.accounts.roles import Role
from zhicheng.applications import selectors as application_selectors
from zhicheng.applications import services as application_services
from zhicheng.catalog.models import TitleLevel
from zhicheng.orgs.models import Organization, OrgType
from zhicheng.routing import services as routing_services
from zhicheng.routing.models import NodeType, RouteKind

from .conftest import new_uscc


def test_an_applicant_applies_through_an_agency(world, draft, make_user, hr_province):
    county = Organization.objects.get(pk=world.orgs["county_jn"].pk)
    agency = Organization.objects.add_child(
        county,
        instance=Organization(
            name="江宁区人才服务中心（人事代理）",
            uscc=new_uscc(prefix="12", body="4660AGENC"),
            org_type=OrgType.AGENCY,
            region_code="320115",
        ),
    )
    routing_services.route_edge_create(
        actor=hr_province,
        kind=RouteKind.INITIAL,
        level=TitleLevel.ASSISTANT,
        superior=world.orgs["county_jn"],
        subordinate=agency,
        node_type=NodeType.EMPLOYER,
    )
    assert agency in application_selectors.employer_search(search="人才服务")
    app = draft("initial", employer=agency)
    app = application_services.application_submit(actor=world.applicant, application=app)
    assert app.current_organization_id == agency.pk and app.at_employer
    officer = make_user(agency, Role.EMPLOYER_OFFICER, username="t_agency")
    outcome = application_services.application_approve(actor=officer, application=app)
    assert outcome.application.current_organization_id == world.orgs["county_jn"].pk
