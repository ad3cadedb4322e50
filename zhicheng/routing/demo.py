"""Demo acceptance offices and the five review routes for the demo organizations.

初定/认定 (every level): employer → 主管部门 → 县局 → 市局, the city bureaus being the acceptance
offices. 初评会/中评会/高评会: the same tree below the cities, then 市局 → 省厅 → the organizer of
a committee of that level (``organizer_eng`` for ``committee_eng``). So ``unit_a`` has a complete
chain for 初定, 认定 and 高评会 (副高级, 正高级) — e.g. unit_a → dept_jn_it → county_jn → city_nj →
province → organizer_eng. Idempotent: existing offices and links are left alone.

A committee route is wired only when a committee of that level accepts work; for 初评会/中评会
the demo adds an engineering committee organized by ``organizer_eng`` if none exists yet (the
committees demo provides the 高评会 one, ``committee_eng``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.orgs.models import Organization
from zhicheng.routing import services
from zhicheng.routing.models import (
    OFFICE_METHODS,
    ROUTE_KIND_LEVELS,
    AcceptanceOffice,
    NodeType,
    RecordStatus,
    RouteEdge,
    RouteKind,
)
from zhicheng.routing.resolve import valid_top_ids

DEMO_NOTICE = """申报人须在申报前阅读本须知，并对所提交材料的真实性负责。

1. 登录系统填写申报信息，上传身份证、学历学位证书、现职称证书扫描件；
2. 用人单位审核并公示 5 个工作日后报送主管部门；
3. 主管部门、县（区）人社部门逐级审核，市人社局受理并作出决定。

**注意**：材料弄虚作假的，一经查实取消申报资格，并记入失信黑名单。"""

OFFICE_ORGS = (("city_nj", NodeType.CITY_HR), ("city_sz", NodeType.CITY_HR))

# (superior, subordinate, node type of the subordinate): the tree below the city bureaus.
CITY_TREES = [
    ("city_nj", "county_jn", NodeType.COUNTY_HR),
    ("city_nj", "unit_k", NodeType.EMPLOYER),
    ("county_jn", "dept_jn_it", NodeType.COMPETENT_DEPT),
    ("county_jn", "dept_jn_edu", NodeType.COMPETENT_DEPT),
    ("dept_jn_it", "unit_a", NodeType.EMPLOYER),
    ("dept_jn_it", "unit_b", NodeType.EMPLOYER),
    ("dept_jn_it", "unit_c", NodeType.EMPLOYER),
    ("dept_jn_edu", "unit_d", NodeType.EMPLOYER),
    ("dept_jn_edu", "unit_e", NodeType.EMPLOYER),
    ("city_sz", "county_wz", NodeType.COUNTY_HR),
    ("county_wz", "dept_wz_it", NodeType.COMPETENT_DEPT),
    ("county_wz", "dept_wz_health", NodeType.COMPETENT_DEPT),
    ("dept_wz_it", "unit_f", NodeType.EMPLOYER),
    ("dept_wz_it", "unit_g", NodeType.EMPLOYER),
    ("dept_wz_it", "unit_h", NodeType.EMPLOYER),
    ("dept_wz_health", "unit_i", NodeType.EMPLOYER),
    ("dept_wz_health", "unit_j", NodeType.EMPLOYER),
]

# Committee routes: organizer → province → cities, then the city trees.
COMMITTEE_TOP = [
    ("province", "city_nj", NodeType.CITY_HR),
    ("province", "city_sz", NodeType.CITY_HR),
]

# Committees the demo adds when no committee of that level accepts work yet.
FALLBACK_COMMITTEES = {
    RouteKind.INTERMEDIATE: ("江苏省工程技术中级职称评审委员会", "committee_eng_mid"),
    RouteKind.JUNIOR: ("江苏省工程技术初级职称评审委员会", "committee_eng_junior"),
}


def _officer() -> User:
    return User.objects.get(username="hr_province")


def _load_offices(actor: User, orgs: dict[str, Organization]) -> None:
    for key, node_type in OFFICE_ORGS:
        for level in TitleLevel.values:
            for method in OFFICE_METHODS:
                exists = AcceptanceOffice.objects.filter(
                    organization=orgs[key],
                    level=level,
                    acquisition_method=method,
                    status=RecordStatus.ACTIVE,
                ).exists()
                if not exists:
                    services.acceptance_office_create(
                        actor=actor,
                        organization=orgs[key],
                        node_type=node_type,
                        level=level,
                        acquisition_method=method,
                        notice=DEMO_NOTICE,
                    )


def _link_all(actor, orgs, kind: str, level: str, links) -> None:
    for superior, subordinate, node_type in links:
        linked = RouteEdge.objects.filter(
            kind=kind, level=level, subordinate=orgs[subordinate], status=RecordStatus.ACTIVE
        ).exists()
        if not linked:
            services.route_edge_create(
                actor=actor,
                kind=kind,
                level=level,
                superior=orgs[superior],
                subordinate=orgs[subordinate],
                node_type=node_type,
            )


def _ensure_committee(actor: User, orgs: dict[str, Organization], kind: str) -> None:
    """A committee of this level organized by ``organizer_eng``, unless one already exists."""
    from zhicheng.accounts.demo import DEMO_PASSWORD
    from zhicheng.catalog.models import TitleSeries
    from zhicheng.committees import services as committee_services
    from zhicheng.committees.models import Committee

    if kind not in FALLBACK_COMMITTEES or Committee.objects.accepting_work().filter(level=kind):
        return
    series = TitleSeries.objects.filter(code="engineering").first()
    name, username = FALLBACK_COMMITTEES[kind]
    if series is None or User.objects.filter(username=username).exists():
        return
    today = timezone.localdate()
    committee, _ = committee_services.committee_create(
        actor=actor,
        name=name,
        level=kind,
        series=series,
        account_username=username,
        approval_number="苏人社职〔2026〕12号",
        valid_from=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=365 * 2),
        organization=orgs["province"],
        password=DEMO_PASSWORD,
    )
    committee_services.committee_organizer_add(
        actor=actor, committee=committee, organization=orgs["organizer_eng"]
    )


def load(orgs: dict[str, Organization]) -> None:
    actor = _officer()
    _load_offices(actor, orgs)
    for kind in (RouteKind.INITIAL, RouteKind.RECOGNITION):
        for level in ROUTE_KIND_LEVELS[kind]:
            _link_all(actor, orgs, kind, level, CITY_TREES)
    for kind in (RouteKind.JUNIOR, RouteKind.INTERMEDIATE, RouteKind.SENIOR):
        _ensure_committee(actor, orgs, kind)
        for level in ROUTE_KIND_LEVELS[kind]:
            tops = valid_top_ids(kind, level)
            if not tops:
                continue  # no committee of this level accepts work: nothing to hang a route on
            top = orgs["organizer_eng"].pk if orgs["organizer_eng"].pk in tops else min(tops)
            keyed = {**orgs, "top": Organization.objects.get(pk=top)}
            links = [*COMMITTEE_TOP, *CITY_TREES]
            if top != orgs["province"].pk:
                links.insert(0, ("top", "province", NodeType.PROVINCE_HR))
            _link_all(actor, keyed, kind, level, links)
