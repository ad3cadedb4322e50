"""1.4–1.8 审核路径配置: the route rules, enforced by the services."""

import pytest
from auditlog.models import LogEntry

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.errors import ApplicationError
from zhicheng.routing import selectors, services
from zhicheng.routing.models import NodeType, RecordStatus, RouteEdge, RouteKind

from .conftest import DEPUTY, INITIAL, SENIOR


def test_the_first_link_hangs_under_a_valid_top(orgs, office_city_nj, link):
    edge = link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_jn"], NodeType.COUNTY_HR)
    assert edge.is_active and edge.superior == orgs["city_nj"]


def test_routes_are_built_top_down(orgs, office_city_nj, link):
    with pytest.raises(ApplicationError, match="尚未接入初定 · 副高级审核路径") as exc:
        link(INITIAL, DEPUTY, orgs["county_jn"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT)
    assert "请先配置它的上级机构" in exc.value.message
    link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_jn"], NodeType.COUNTY_HR)
    link(INITIAL, DEPUTY, orgs["county_jn"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT)
    assert RouteEdge.objects.count() == 2


def test_a_superior_that_is_no_acceptance_office_for_that_level_is_refused(
    orgs, office_city_nj, link
):
    # 南京市局 accepts 副高级 初定, not 正高级 and not 认定.
    with pytest.raises(ApplicationError, match="不是有效的受理机构"):
        link(INITIAL, TitleLevel.SENIOR_FULL, orgs["city_nj"], orgs["county_jn"], "county_hr")
    with pytest.raises(ApplicationError, match="不是有效的受理机构"):
        link(RouteKind.RECOGNITION, DEPUTY, orgs["city_nj"], orgs["county_jn"], "county_hr")
    assert not RouteEdge.objects.exists()


def test_a_subordinate_has_one_superior_per_route(orgs, initial_route, link, hr_province):
    with pytest.raises(ApplicationError, match="已有上级机构 南京市江宁区人力资源和社会保障局"):
        link(INITIAL, DEPUTY, orgs["city_nj"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT)
    with pytest.raises(ApplicationError, match="已是 .* 的下级机构"):
        link(INITIAL, DEPUTY, orgs["county_jn"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT)
    assert RouteEdge.objects.count() == 3


def test_the_same_link_on_another_route_is_independent(orgs, initial_route, make_committee, link):
    make_committee(organizer=orgs["organizer_eng"])
    link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["dept_jn_it"], NodeType.COMPETENT_DEPT)
    assert RouteEdge.objects.filter(subordinate=orgs["dept_jn_it"]).count() == 2


def test_a_cycle_is_refused(orgs, initial_route, link):
    # unit_a is below city_nj; making city_nj a subordinate of unit_a would close a loop.
    # (city_nj is the office, it has no superior yet, so this is not a "second superior".)
    with pytest.raises(ApplicationError, match="会形成循环"):
        link(INITIAL, DEPUTY, orgs["unit_a"], orgs["city_nj"], NodeType.OTHER)
    assert RouteEdge.objects.count() == 3


def test_an_organization_cannot_be_its_own_subordinate(orgs, office_city_nj, link):
    with pytest.raises(ApplicationError, match="不能是同一机构"):
        link(INITIAL, DEPUTY, orgs["city_nj"], orgs["city_nj"], NodeType.CITY_HR)


def test_the_node_type_must_fit_the_subordinate(orgs, office_city_nj, link):
    with pytest.raises(ApplicationError, match="不能作为“用人单位”节点"):
        link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_jn"], NodeType.EMPLOYER)


@pytest.mark.parametrize(
    ("kind", "level", "message"),
    [
        (SENIOR, TitleLevel.INTERMEDIATE, "高评会审核路径只适用于正高级、副高级职称"),
        (RouteKind.INTERMEDIATE, DEPUTY, "中评会审核路径只适用于中级职称"),
        (RouteKind.JUNIOR, TitleLevel.INTERMEDIATE, "初评会审核路径只适用于助理级、员级职称"),
        ("express", DEPUTY, "审核路径类型“express”无效"),
        (INITIAL, "master", "职称等级“master”无效"),
    ],
)
def test_route_kind_and_level_must_match(orgs, office_city_nj, link, kind, level, message):
    with pytest.raises(ApplicationError, match=message):
        link(kind, level, orgs["city_nj"], orgs["county_jn"], NodeType.COUNTY_HR)


def test_committee_routes_start_at_an_organizer_of_an_active_committee_of_that_level(
    orgs, make_committee, link
):
    with pytest.raises(ApplicationError, match="不是有效的评委会组建单位"):
        link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)
    make_committee(organizer=orgs["organizer_eng"], level="intermediate")
    with pytest.raises(ApplicationError, match="不是有效的评委会组建单位"):
        link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)
    make_committee(organizer=orgs["organizer_eng"], level="senior")
    edge = link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)
    assert edge.is_active


def test_an_expired_or_deregistered_committee_is_no_top(orgs, make_committee, link):
    import datetime as dt

    from django.utils import timezone

    make_committee(
        organizer=orgs["organizer_eng"],
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    make_committee(organizer=orgs["organizer_eng"], status="deregistered")
    with pytest.raises(ApplicationError, match="不是有效的评委会组建单位"):
        link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)


def test_a_city_officer_maintains_only_links_below_its_subtree(
    orgs, office_city_nj, link, hr_city, hr_province
):
    edge = link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_jn"], "county_hr", actor=hr_city)
    assert list(selectors.route_edge_list(user=hr_city, kind=INITIAL)) == [edge]
    with pytest.raises(ApplicationError, match="下级机构不存在或不在您的管辖范围内"):
        link(INITIAL, DEPUTY, orgs["city_nj"], orgs["county_wz"], "county_hr", actor=hr_city)
    with pytest.raises(ApplicationError, match="上级机构不存在或不在您的管辖范围内"):
        link(INITIAL, DEPUTY, orgs["province"], orgs["county_jn"], "county_hr", actor=hr_city)


def test_a_link_above_the_city_is_invisible_to_it(orgs, make_committee, link, hr_city):
    make_committee(organizer=orgs["organizer_eng"])
    link(SENIOR, DEPUTY, orgs["organizer_eng"], orgs["province"], NodeType.PROVINCE_HR)
    assert not selectors.route_edge_list(user=hr_city).exists()


def test_deregistering_a_leaf_keeps_its_history(orgs, initial_route, hr_province):
    leaf = initial_route[-1]
    services.route_edge_deregister(actor=hr_province, edge=leaf, reason="单位迁出")
    leaf.refresh_from_db()
    assert leaf.status == RecordStatus.DEREGISTERED
    assert (leaf.deregister_reason, leaf.deregistered_by) == ("单位迁出", hr_province)
    assert LogEntry.objects.filter(additional_data__operation="deregister").count() == 1


def test_a_link_with_subordinates_cannot_be_deregistered(orgs, initial_route, hr_province):
    middle = initial_route[1]
    with pytest.raises(ApplicationError, match="还有 1 个下级机构"):
        services.route_edge_deregister(actor=hr_province, edge=middle)
    middle.refresh_from_db()
    assert middle.is_active


def test_a_deregistered_subordinate_can_be_linked_again(orgs, initial_route, hr_province, link):
    services.route_edge_deregister(actor=hr_province, edge=initial_route[-1])
    again = link(INITIAL, DEPUTY, orgs["dept_jn_it"], orgs["unit_a"], NodeType.EMPLOYER)
    assert again.is_active


def test_moving_a_subordinate_takes_its_subtree_along(orgs, initial_route, hr_province):
    # dept_jn_it (with unit_a below) moves from the county straight under the city.
    moved = services.route_edge_update(
        actor=hr_province, edge=initial_route[1], superior=orgs["city_nj"]
    )
    assert moved.superior == orgs["city_nj"]
    from zhicheng.routing.resolve import route_resolve

    chain = route_resolve(orgs["unit_a"], INITIAL, DEPUTY)
    assert [n.organization_id for n in chain.nodes] == [
        orgs["unit_a"].pk,
        orgs["dept_jn_it"].pk,
        orgs["city_nj"].pk,
    ]


def test_moving_a_node_below_itself_is_a_cycle(orgs, initial_route, hr_province):
    with pytest.raises(ApplicationError, match="会形成循环"):
        services.route_edge_update(
            actor=hr_province, edge=initial_route[0], superior=orgs["unit_a"]
        )
    initial_route[0].refresh_from_db()
    assert initial_route[0].superior == orgs["city_nj"]


def test_replacing_a_subordinate_that_has_subordinates_is_refused(orgs, initial_route, hr_province):
    with pytest.raises(ApplicationError, match="不能更换为其他机构"):
        services.route_edge_update(
            actor=hr_province, edge=initial_route[1], subordinate=orgs["dept_jn_edu"]
        )
    leaf = services.route_edge_update(
        actor=hr_province, edge=initial_route[2], subordinate=orgs["unit_b"]
    )
    assert leaf.subordinate == orgs["unit_b"]


def test_editing_the_node_type_checks_it(orgs, initial_route, hr_province):
    with pytest.raises(ApplicationError, match="不能作为“主管部门”节点"):
        services.route_edge_update(
            actor=hr_province, edge=initial_route[2], node_type=NodeType.COMPETENT_DEPT
        )
    edge = services.route_edge_update(
        actor=hr_province, edge=initial_route[2], node_type=NodeType.OTHER
    )
    assert edge.node_type == NodeType.OTHER


def test_a_deregistered_link_cannot_be_edited(orgs, initial_route, hr_province):
    services.route_edge_deregister(actor=hr_province, edge=initial_route[2])
    with pytest.raises(ApplicationError, match="已注销"):
        services.route_edge_update(
            actor=hr_province, edge=initial_route[2], node_type=NodeType.OTHER
        )


def test_the_list_filters_by_kind_level_superior_and_subordinate(orgs, initial_route, hr_province):
    def subs(**filters):
        return [e.subordinate.name for e in selectors.route_edge_list(user=hr_province, **filters)]

    assert subs(kind=INITIAL, superior_id=orgs["county_jn"].pk) == [orgs["dept_jn_it"].name]
    assert subs(kind=SENIOR) == []
    assert subs(subordinate="智能装备") == [orgs["unit_a"].name]
    assert subs(subordinate=orgs["unit_a"].uscc) == [orgs["unit_a"].name]
    assert len(subs(level=DEPUTY, status=RecordStatus.ACTIVE)) == 3
