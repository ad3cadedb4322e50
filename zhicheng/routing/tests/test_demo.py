"""The routing demo: unit_a has complete 初定, 认定 and 高评会 chains; loading twice changes nothing."""

from zhicheng.accounts.demo import load_demo_accounts
from zhicheng.catalog.models import TitleLevel
from zhicheng.routing import demo
from zhicheng.routing.models import AcceptanceOffice, RouteEdge, RouteKind
from zhicheng.routing.resolve import route_resolve


def test_the_demo_wires_unit_a_up_to_the_office_and_the_committee_organizer(orgs, make_committee):
    load_demo_accounts(orgs)
    make_committee(organizer=orgs["organizer_eng"], level="senior")
    demo.load(orgs)
    for level in (TitleLevel.SENIOR_DEPUTY, TitleLevel.SENIOR_FULL):
        for kind in (RouteKind.INITIAL, RouteKind.RECOGNITION):
            chain = route_resolve(orgs["unit_a"], kind, level)
            assert chain.complete, chain.missing
            assert chain.top.organization_id == orgs["city_nj"].pk
        senior = route_resolve(orgs["unit_a"], RouteKind.SENIOR, level)
        assert [n.organization_id for n in senior.nodes] == [
            orgs[k].pk
            for k in ("unit_a", "dept_jn_it", "county_jn", "city_nj", "province", "organizer_eng")
        ]
    assert route_resolve(orgs["unit_i"], RouteKind.INTERMEDIATE, "intermediate").complete
    assert route_resolve(orgs["unit_f"], RouteKind.JUNIOR, "assistant").complete

    counts = (AcceptanceOffice.objects.count(), RouteEdge.objects.count())
    demo.load(orgs)
    assert (AcceptanceOffice.objects.count(), RouteEdge.objects.count()) == counts
