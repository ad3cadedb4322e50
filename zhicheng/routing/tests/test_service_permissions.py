"""The routing services check the actor's permission themselves: a user in scope without the
routing permissions (a plan reviewer of the province bureau) changes nothing, whatever calls
the service."""

import pytest

from zhicheng.accounts.roles import Role
from zhicheng.catalog.models import AcquisitionMethod
from zhicheng.common.errors import ApplicationError
from zhicheng.routing import services
from zhicheng.routing.models import AcceptanceOffice, NodeType, RecordStatus, RouteEdge

from .conftest import DEPUTY, INITIAL

REFUSED = "您没有执行此操作的权限"


@pytest.fixture
def reviewer(orgs, make_user):
    return make_user(orgs["province"], Role.PLAN_REVIEWER, username="t_reviewer")


def test_creating_offices_and_route_links_needs_the_add_permissions(orgs, reviewer):
    with pytest.raises(ApplicationError, match=REFUSED):
        services.acceptance_office_create(
            actor=reviewer,
            organization=orgs["city_nj"],
            node_type=NodeType.CITY_HR,
            level=DEPUTY,
            acquisition_method=AcquisitionMethod.INITIAL,
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.acceptance_office_bulk_create(
            actor=reviewer,
            level=DEPUTY,
            acquisition_method=AcquisitionMethod.INITIAL,
            items=[(orgs["city_nj"].pk, NodeType.CITY_HR)],
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.route_edge_create(
            actor=reviewer,
            kind=INITIAL,
            level=DEPUTY,
            superior=orgs["city_nj"],
            subordinate=orgs["county_jn"],
            node_type=NodeType.COUNTY_HR,
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.route_edge_bulk_create(
            actor=reviewer,
            kind=INITIAL,
            level=DEPUTY,
            items=[(orgs["city_nj"].pk, orgs["county_jn"].pk, NodeType.COUNTY_HR)],
        )
    assert not AcceptanceOffice.objects.exists()
    assert not RouteEdge.objects.exists()


def test_changing_an_office_needs_the_change_and_deregister_permissions(
    orgs, reviewer, office_city_nj
):
    with pytest.raises(ApplicationError, match=REFUSED):
        services.acceptance_office_update(
            actor=reviewer, office=office_city_nj, node_type=NodeType.PROVINCE_HR
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.acceptance_office_notice_update(
            actor=reviewer, office=office_city_nj, notice="改过的须知"
        )
    with pytest.raises(ApplicationError, match=REFUSED):
        services.acceptance_office_deregister(actor=reviewer, office=office_city_nj, reason="x")
    office_city_nj.refresh_from_db()
    assert office_city_nj.node_type == NodeType.CITY_HR
    assert office_city_nj.notice != "改过的须知"
    assert office_city_nj.status == RecordStatus.ACTIVE


def test_changing_a_route_link_needs_the_change_and_deregister_permissions(
    orgs, reviewer, initial_route
):
    edge = initial_route[-1]
    with pytest.raises(ApplicationError, match=REFUSED):
        services.route_edge_update(actor=reviewer, edge=edge, node_type=NodeType.COMPETENT_DEPT)
    with pytest.raises(ApplicationError, match=REFUSED):
        services.route_edge_deregister(actor=reviewer, edge=edge, reason="x")
    edge.refresh_from_db()
    assert edge.node_type == NodeType.EMPLOYER and edge.status == RecordStatus.ACTIVE


def test_an_hr_officer_holds_them(orgs, hr_province, office_city_nj):
    services.acceptance_office_notice_update(
        actor=hr_province, office=office_city_nj, notice="新的申报须知"
    )
    office_city_nj.refresh_from_db()
    assert office_city_nj.notice == "新的申报须知"
