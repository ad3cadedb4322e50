"""Route resolution: employer → top, or the exact missing link; one employer or a batch."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.catalog.models import TitleLevel
from zhicheng.orgs.services import organization_deregister
from zhicheng.routing import selectors, services
from zhicheng.routing.models import NodeType
from zhicheng.routing.resolve import route_resolve, route_resolve_many

from .conftest import DEPUTY, INITIAL, SENIOR


def names(chain):
    return [node.name for node in chain.nodes]


def test_a_complete_chain_runs_from_the_employer_to_the_office(orgs, initial_route):
    chain = route_resolve(orgs["unit_a"], INITIAL, DEPUTY)
    assert chain.complete and chain.missing == ""
    assert names(chain) == [orgs[k].name for k in ("unit_a", "dept_jn_it", "county_jn", "city_nj")]
    assert chain.top.organization_id == orgs["city_nj"].pk
    assert [n.node_type_label for n in chain.nodes] == [
        "用人单位",
        "主管部门",
        "县级人社部门",
        "市级人社部门",
    ]


def test_an_employer_without_a_superior_is_the_missing_link(orgs, initial_route):
    chain = route_resolve(orgs["unit_b"], INITIAL, DEPUTY)
    assert not chain.complete
    assert chain.missing == f"{orgs['unit_b'].name} 没有配置上级机构（初定 · 副高级）"


def test_a_deregistered_office_breaks_the_chain_at_the_top(orgs, initial_route, hr_province):
    services.acceptance_office_deregister(
        actor=hr_province, office=selectors.acceptance_office_list(user=hr_province).get()
    )
    chain = route_resolve(orgs["unit_a"], INITIAL, DEPUTY)
    assert chain.missing.startswith(f"顶端机构 {orgs['city_nj'].name} 不是有效的受理机构")
    assert chain.top is None


def test_a_deregistered_organization_on_the_way_is_reported(orgs, initial_route, hr_province):
    services.route_edge_deregister(actor=hr_province, edge=initial_route[2])
    services.route_edge_create(
        actor=hr_province,
        kind=INITIAL,
        level=DEPUTY,
        superior=orgs["dept_jn_it"],
        subordinate=orgs["unit_k"],
        node_type=NodeType.EMPLOYER,
    )
    organization_deregister(actor=hr_province, organization=orgs["unit_b"])
    # unit_k's chain is fine; a deregistered employer is reported as such.
    assert route_resolve(orgs["unit_k"], INITIAL, DEPUTY).complete
    assert "已注销" in route_resolve(orgs["unit_b"], INITIAL, DEPUTY).missing


def test_the_office_itself_is_a_complete_one_node_route(orgs, office_city_nj):
    chain = route_resolve(orgs["city_nj"], INITIAL, DEPUTY)
    assert chain.complete and names(chain) == [orgs["city_nj"].name]


def test_a_committee_route_ends_at_the_organizer(orgs, make_committee, link):
    make_committee(organizer=orgs["organizer_eng"])
    path = ["organizer_eng", "province", "city_nj", "county_jn", "dept_jn_it", "unit_a"]
    types = ["province_hr", "city_hr", "county_hr", "competent_dept", "employer"]
    for (sup, sub), node_type in zip(zip(path, path[1:], strict=False), types, strict=True):
        link(SENIOR, DEPUTY, orgs[sup], orgs[sub], node_type)
    chain = route_resolve(orgs["unit_a"], SENIOR, DEPUTY)
    assert chain.complete
    assert names(chain) == [orgs[k].name for k in reversed(path)]
    assert chain.nodes[-1].node_type_label == "评委会组建单位"
    other_level = route_resolve(orgs["unit_a"], SENIOR, TitleLevel.SENIOR_FULL)
    assert other_level.missing == f"{orgs['unit_a'].name} 没有配置上级机构（高评会 · 正高级）"


def test_a_batch_resolves_many_employers_in_a_fixed_number_of_queries(orgs, initial_route, link):
    link(INITIAL, DEPUTY, orgs["dept_jn_it"], orgs["unit_b"], NodeType.EMPLOYER)
    employers = [orgs[k].pk for k in ("unit_a", "unit_b", "unit_c", "unit_f")]
    with CaptureQueriesContext(connection) as queries:
        chains = route_resolve_many(employers, INITIAL, DEPUTY)
    assert len(queries) <= 4
    assert [chains[pk].complete for pk in employers] == [True, True, False, False]
    assert names(chains[orgs["unit_b"].pk])[1:] == names(chains[orgs["unit_a"].pk])[1:]


def test_the_batch_and_the_single_resolution_agree(orgs, initial_route):
    for key in ("unit_a", "unit_b", "dept_jn_it", "city_nj", "province"):
        single = route_resolve(orgs[key], INITIAL, DEPUTY)
        batch = route_resolve_many([orgs[key].pk], INITIAL, DEPUTY)[orgs[key].pk]
        assert (names(single), single.missing) == (names(batch), batch.missing)


def test_the_office_for_an_employer_is_the_top_of_its_route(orgs, initial_route):
    office = selectors.acceptance_office_for(
        employer=orgs["unit_a"], level=DEPUTY, acquisition_method="initial"
    )
    assert office.organization == orgs["city_nj"]
    assert (
        selectors.acceptance_office_for(
            employer=orgs["unit_b"], level=DEPUTY, acquisition_method="initial"
        )
        is None
    )


def test_one_employers_way_up_costs_the_same_queries_whatever_its_length(orgs, initial_route):
    with CaptureQueriesContext(connection) as long_way:
        assert len(route_resolve(orgs["unit_a"], INITIAL, DEPUTY).nodes) == 4
    with CaptureQueriesContext(connection) as short_way:
        assert len(route_resolve(orgs["county_jn"], INITIAL, DEPUTY).nodes) == 2
    assert len(long_way) == len(short_way)


def test_a_cycle_on_the_way_up_is_reported_not_followed(orgs, initial_route):
    from zhicheng.routing.models import RouteEdge

    # Written around the services (which refuse it), as an old or imported table might hold.
    RouteEdge.objects.create(
        kind=INITIAL,
        level=DEPUTY,
        superior=orgs["unit_a"],
        subordinate=orgs["city_nj"],
        node_type=NodeType.CITY_HR,
    )
    chain = route_resolve(orgs["unit_a"], INITIAL, DEPUTY)
    assert not chain.complete
    assert chain.missing.startswith("审核路径存在循环")
    assert chain == route_resolve_many([orgs["unit_a"].pk], INITIAL, DEPUTY)[orgs["unit_a"].pk]
