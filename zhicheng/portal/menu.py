"""The left menu: the 24 functions of the operation guide, in its order and with its names.

A function that is not built yet points at ``function-pending`` (a page saying so). When a
module lands it sets ``url_name`` here — the only place a menu entry lives.
"""

import logging
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from zhicheng.accounts.roles import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MenuEntry:
    code: str
    name: str
    url_name: str = "web:function-pending"
    roles: frozenset[str] = field(default_factory=lambda: frozenset({Role.HR_OFFICER}))

    @property
    def is_pending(self) -> bool:
        return self.url_name == "web:function-pending"

    def href(self) -> str | None:
        """The entry's URL, or None when its page is not wired yet."""
        if self.is_pending:
            return reverse("web:function-pending", kwargs={"code": self.code})
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            if self.url_name not in _WARNED:
                _WARNED.add(self.url_name)
                logger.warning(
                    "menu entry %s: URL name %r does not resolve", self.code, self.url_name
                )
            return None


_WARNED: set[str] = set()


@dataclass(frozen=True)
class MenuItem:
    """A menu entry as shown to one user on one page."""

    code: str
    name: str
    href: str
    is_pending: bool
    active: bool = False


HR = frozenset({Role.HR_OFFICER})
PLAN_NORMAL = frozenset({Role.HR_OFFICER, Role.PLAN_REVIEWER})
PLAN_SPECIAL = frozenset({Role.HR_OFFICER, Role.PLAN_REVIEWER_SPECIAL})
PLAN_ANY = frozenset({Role.HR_OFFICER, Role.PLAN_REVIEWER, Role.PLAN_REVIEWER_SPECIAL})
# A committee compiles its plans on the page the others query them on.
PLAN_QUERY = PLAN_ANY | {Role.COMMITTEE}
REVIEWERS = frozenset({Role.HR_OFFICER, Role.EMPLOYER_OFFICER, Role.COMMITTEE})
# Employers declare their posts on the page HR bureaus query them on.
QUOTAS = frozenset({Role.HR_OFFICER, Role.EMPLOYER_OFFICER})

GUIDE_FUNCTIONS: tuple[MenuEntry, ...] = (
    MenuEntry("1.1", "职称专业管理", "catalog:specialty-tree"),
    MenuEntry("1.2", "职称树管理", "catalog:title-tree"),
    MenuEntry("1.3", "职称初定/认定受理机构管理", "routing:office-list"),
    MenuEntry("1.4", "职称初定审核路径配置", "routing:route-list-initial"),
    MenuEntry("1.5", "职称认定审核路径配置", "routing:route-list-recognition"),
    MenuEntry("1.6", "初评会审核路径配置", "routing:route-list-junior"),
    MenuEntry("1.7", "中评会审核路径配置", "routing:route-list-intermediate"),
    MenuEntry("1.8", "高评会审核路径配置", "routing:route-list-senior"),
    MenuEntry("1.9", "发证单位编码配置", "certificates:issuing-unit-list"),
    MenuEntry("1.10", "评委会管理", "committees:committee-list"),
    MenuEntry("1.11", "评委会查询", "committees:committee-query", roles=PLAN_ANY),
    MenuEntry("1.12", "职称申报人员资格审核", "applications:review-list", roles=REVIEWERS),
    MenuEntry("1.13", "呈报方案审核", "plans:review-list", roles=PLAN_NORMAL),
    MenuEntry("1.14", "呈报方案审核（特殊情况）", "plans:special-review-list", roles=PLAN_SPECIAL),
    MenuEntry("1.15", "职称评审结果备案", "filings:filing-list"),
    MenuEntry("1.16", "证书编号生成", "certificates:number-list"),
    MenuEntry("1.17", "证书发放", "certificates:issue-list"),
    MenuEntry("1.18", "证书报送人社部", "certificates:national-report-list"),
    MenuEntry("1.19", "证书撤销", "certificates:revoke-list"),
    MenuEntry("1.20", "证书查询", "certificates:certificate-list"),
    MenuEntry("1.21", "黑名单管理", "blacklist:entry-list"),
    MenuEntry("1.22", "职数申报查询", "quotas:declaration-list", roles=QUOTAS),
    MenuEntry("1.23", "呈报方案查询", "plans:plan-list", roles=PLAN_QUERY),
    MenuEntry("1.24", "职称申报审核流程查询", "applications:trace-list", roles=REVIEWERS),
)

SYSTEM_ENTRIES: tuple[MenuEntry, ...] = (
    MenuEntry(
        "sys.orgs",
        "机构管理",
        "orgs:organization-list",
        frozenset({Role.SYSTEM_ADMIN, Role.HR_OFFICER}),
    ),
    MenuEntry(
        "sys.users",
        "用户管理",
        "accounts:user-list",
        frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    ),
    MenuEntry("sys.oplog", "操作日志", "audit:operation-log-list", frozenset({Role.AUDIT_ADMIN})),
    MenuEntry("sys.loginlog", "登录日志", "audit:login-log-list", frozenset({Role.AUDIT_ADMIN})),
)

# Functions beyond the 24 of the guide that belong among them, shown after the guide entry
# named by the key (no guide number: ``x.`` codes show none in the menu).
EXTRA_AFTER: dict[str, tuple[MenuEntry, ...]] = {
    # 评后公示 (issue 12): the committee publishes, HR officers follow; employers see results.
    "1.14": (
        MenuEntry(
            "x.publicity",
            "评后公示",
            "filings:publicity-list",
            frozenset({Role.HR_OFFICER, Role.COMMITTEE}),
        ),
        MenuEntry(
            "x.meeting-results",
            "评审会议结果",
            "meetings:result-list",
            frozenset({Role.COMMITTEE}),
        ),
        # 评审会议 (issue 12): an expert's 我的评审; the pass-rate caps HR officers set.
        MenuEntry("x.reviews", "我的评审", "meetings:review-list", frozenset({Role.EXPERT})),
        MenuEntry(
            "x.pass-rate-caps",
            "通过率上限",
            "meetings:caps",
            frozenset({Role.HR_OFFICER, Role.COMMITTEE}),
        ),
    ),
    "1.15": (
        MenuEntry(
            "x.results", "评审结果", "filings:result-list", frozenset({Role.EMPLOYER_OFFICER})
        ),
    ),
    "1.11": (
        MenuEntry(
            "x.experts",
            "专家库",
            "experts:expert-list",
            frozenset({Role.HR_OFFICER, Role.COMMITTEE}),
        ),
    ),
    "1.12": (
        MenuEntry("x.windows", "申报批次", "windows:window-list", HR),
        # 个人业绩库 and 申报材料清单 (issue 14).
        MenuEntry(
            "x.achievements",
            "个人业绩库",
            "achievements:achievement-list",
            frozenset({Role.APPLICANT}),
        ),
        MenuEntry("x.checklists", "申报材料清单", "achievements:checklist-list", HR),
        # 用人单位 (issue 14): the 主管单位 and above review 单位注册; a unit holds its 内部公示.
        MenuEntry("units.registrations", "单位注册审核", "units:registration-list", QUOTAS),
        MenuEntry(
            "units.publicity",
            "单位内部公示",
            "units:publicity",
            frozenset({Role.EMPLOYER_OFFICER}),
        ),
    ),
}

GUIDE_BY_CODE = {entry.code: entry for entry in GUIDE_FUNCTIONS}


def menu_for(user, path: str = "") -> dict[str, list[MenuItem]]:
    """The entries ``user``'s roles may open, with the one ``path`` lies under marked active.

    A guide function whose page does not resolve yet falls back to the "not built yet" page; a
    system entry whose page does not resolve is left out (and logged once).
    """
    if not user.is_authenticated:
        return {"guide": [], "system": []}
    roles = user.role_codes
    sections: dict[str, list[tuple[MenuEntry, str]]] = {"guide": [], "system": []}
    for entry in GUIDE_FUNCTIONS:
        if entry.roles & roles:
            href = entry.href() or reverse("web:function-pending", kwargs={"code": entry.code})
            sections["guide"].append((entry, href))
        for extra in EXTRA_AFTER.get(entry.code, ()):
            if extra.roles & roles and (href := extra.href()):
                sections["guide"].append((extra, href))
    for entry in SYSTEM_ENTRIES:
        if entry.roles & roles and (href := entry.href()):
            sections["system"].append((entry, href))
    # The active entry: the longest menu URL that the current path starts with.
    candidates = [href for pairs in sections.values() for _e, href in pairs if href != "/"]
    active = max((h for h in candidates if path.startswith(h)), key=len, default=None)
    pending_prefix = reverse("web:function-pending", kwargs={"code": "x"})[:-2]
    return {
        name: [
            MenuItem(e.code, e.name, href, href.startswith(pending_prefix), href == active)
            for e, href in pairs
        ]
        for name, pairs in sections.items()
    }
