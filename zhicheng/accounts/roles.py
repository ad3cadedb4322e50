"""Roles are Django groups named by their Chinese label; this table says what each may do."""

from django.db import models


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    HR_OFFICER = "hr_officer", "人社经办"
    PLAN_REVIEWER = "plan_reviewer", "方案审核(正常)"
    PLAN_REVIEWER_SPECIAL = "plan_reviewer_special", "方案审核(特殊)"
    COMMITTEE = "committee", "评委会"
    EMPLOYER_OFFICER = "employer_officer", "单位经办"
    APPLICANT = "applicant", "申报人"
    EXPERT = "expert", "评审专家"
    # Last, so the role checkboxes of the forms keep their order and ids.
    SECURITY_ADMIN = "security_admin", "安全管理员"


# Roles that act for an organization and therefore see its subtree. A committee account is
# not one of them: it sees only what belongs to its committee (ScopeRule.committee).
OFFICER_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
        Role.HR_OFFICER,
        Role.PLAN_REVIEWER,
        Role.PLAN_REVIEWER_SPECIAL,
        Role.EMPLOYER_OFFICER,
    }
)

# 三员分立: the system admin (accounts and organizations), the security admin (who holds the
# administrator roles) and the audit admin (the logs) are three people. Nobody holds two of
# these roles, and only the security admin grants or withdraws one of them — so the system
# admin cannot make anyone (themselves included) an auditor, and nobody changes their own roles.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
GRANT_ADMIN_ROLE = "accounts.grant_admin_role"


def admin_roles_problem(roles, *, before=(), may_grant_admin_roles: bool) -> str | None:
    """Why this change of roles breaks 三员分立, or None when it keeps the three apart."""
    held = ADMIN_ROLES.intersection(roles)
    if len(held) > 1:
        return "三员分立：系统管理员、安全管理员、审计管理员不能由同一人兼任"
    if not may_grant_admin_roles and held != ADMIN_ROLES.intersection(before):
        return "三员分立：系统管理员、安全管理员、审计管理员角色只能由安全管理员授予或取消"
    return None


# 评委会 (1.10 管理 / 1.11 查询): HR officers manage the committees of their subtree; plan
# reviewers only view; a committee account views its own committee.
COMMITTEE_VIEW = ("committees.view_committee",)
COMMITTEE_MANAGE = (
    *COMMITTEE_VIEW,
    "committees.add_committee",
    "committees.change_committee",
    "committees.deregister_committee",
)

# 受理机构 (1.3) and 审核路径 (1.4–1.8): configuration HR officers manage in their subtree.
ROUTING_MANAGE = tuple(
    f"routing.{verb}_{model}"
    for model in ("acceptanceoffice", "routeedge")
    for verb in ("view", "add", "change", "deregister")
)

# 职称专业 / 职称树 (1.1, 1.2; everyone signed in reads them) and 发证单位编码 (1.9): HR officers
# manage them (a city bureau only the rows of its subtree, see catalog.selectors).
CATALOG_MANAGE = (
    *(
        f"catalog.{verb}_{model}"
        for model in ("specialty", "title")
        for verb in ("add", "change", "delete")
    ),
    *(f"certificates.{verb}_issuingunit" for verb in ("view", "add", "change", "deregister")),
)

# 证书编号生成 (1.16) and 证书发放 (1.17): HR officers generate and query the number pools of
# their subtree's units, issue certificates for the titles their subtree approved, and revoke
# them (1.19); they report their subtree's certificates to the national platform (1.18).
CERTIFICATE_ISSUE = (
    "certificates.view_certificate",
    "certificates.issue_certificate",
    "certificates.revoke_certificate",
    "certificates.report_certificate",
    # 证书遗失补发: the issuing side's officers re-issue.
    "certificates.view_certificatereissue",
    "certificates.reissue_certificate",
    # Fraud found later: 列入黑名单 revokes the titles obtained by application with their
    # certificates (certificates.services.fraud) — the title's own 撤销 permission.
    "titles.revoke_titleholding",
)
CERTIFICATE_NUMBERS_MANAGE = (
    "certificates.view_certificatenumber",
    "certificates.add_certificatenumber",
)

# 人员 and 黑名单管理 (1.21): HR officers list the persons and manage the blacklist of their
# subtree, and may find any person by the full 证件号码 (persons.selectors explains why).
BLACKLIST_MANAGE = (
    "persons.view_person",
    "persons.change_person",
    "persons.lookup_person_by_id_number",
    *(f"blacklist.{verb}_blacklistentry" for verb in ("view", "add", "change", "lift")),
)

# 职数申报 (1.22): an employer's officers declare for their own organization; HR officers query
# the declarations of their subtree.
QUOTA_DECLARE = tuple(f"quotas.{verb}_quotadeclaration" for verb in ("view", "add", "change"))
QUOTA_VIEW = ("quotas.view_quotadeclaration",)

# 呈报方案 (1.13, 1.14, 1.23): a committee account compiles and submits its committee's plans;
# normal and special plans are reviewed by different reviewers; HR officers query them.
PLAN_VIEW = ("plans.view_evaluationplan",)
PLAN_COMPILE = (*PLAN_VIEW, "plans.add_evaluationplan", "plans.change_evaluationplan")

# 专家库 and the draw of a plan's panel (issue 12): HR officers maintain the pools of the
# committees of their subtree and see the panels; a committee account maintains its own pool and
# draws the panels of its approved plans. An expert's own account (评审专家) maintains nothing.
EXPERT_VIEW = ("experts.view_expert",)
EXPERT_MANAGE = (
    *EXPERT_VIEW,
    "experts.add_expert",
    "experts.change_expert",
    "experts.leave_expert",
)
PANEL_VIEW = ("experts.view_paneldraw",)
PANEL_DRAW = (*PANEL_VIEW, "experts.draw_panel")

# 申报批次 (issue 12): HR officers open, change and close the windows of their subtree.
WINDOW_MANAGE = tuple(f"windows.{verb}_applicationwindow" for verb in ("view", "add", "change"))
# 评审会议 (issue 12): the committee runs its plans' meetings; panel experts score and vote;
# HR officers set the pass-rate caps, which committees read.
MEETING_RUN = ("meetings.view_meeting", "meetings.run_meeting", "meetings.view_passratecap")
MEETING_REVIEW = ("meetings.add_score", "meetings.add_vote")
PASS_RATE_CAP_MANAGE = (
    "meetings.view_passratecap",
    "meetings.add_passratecap",
    "meetings.change_passratecap",
)
# 评后公示 and 1.15 职称评审结果备案 (issue 12): a committee account publishes its plans' passed
# lists, records and resolves objections and sends the results for filing; HR officers see the
# publicity of their subtree's committees and file the results sent to their organization.
FILING_PUBLISH = ("filings.view_publicity", "filings.publish_publicity")
FILING_REVIEW = (
    "filings.view_publicity",
    "filings.view_resultfiling",
    "filings.review_resultfiling",
)

# 申报材料清单 (issue 14): HR officers maintain the checklists of their subtree.
CHECKLIST_MANAGE = tuple(
    f"achievements.{verb}_materialchecklist" for verb in ("view", "add", "change", "delete")
)

# 职称申报资格审核 (1.12) and 审核流程查询 (1.24): the reviewers at each level of a route.
APPLICATION_REVIEW = ("applications.view_application", "applications.review_application")

# 用人单位 (issue 14): the 主管单位's officers and the levels above review 单位注册 and reset a
# subordinate unit's password; a unit's officers hold its 单位内部公示.
UNIT_REGISTRATION_REVIEW = ("units.view_unitregistration", "units.review_unitregistration")
UNIT_PUBLICITY = ("units.view_unitpublicity", "units.add_unitpublicity")

# Permission codenames (app_label.codename) each role holds. Custom permissions are declared
# on accounts.User.Meta; model permissions come from their apps.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.SYSTEM_ADMIN: (
        "accounts.manage_users",
        "orgs.view_organization",
        "orgs.add_organization",
        "orgs.change_organization",
        "orgs.deregister_organization",
    ),
    Role.SECURITY_ADMIN: ("accounts.manage_users", GRANT_ADMIN_ROLE, "orgs.view_organization"),
    Role.AUDIT_ADMIN: ("accounts.view_operation_log", "accounts.view_login_log"),
    Role.HR_OFFICER: (
        "accounts.view_full_id_number",
        "orgs.view_organization",
        "orgs.add_organization",
        "orgs.change_organization",
        "orgs.deregister_organization",
        *COMMITTEE_MANAGE,
        *CATALOG_MANAGE,
        *CERTIFICATE_NUMBERS_MANAGE,
        *CERTIFICATE_ISSUE,
        *ROUTING_MANAGE,
        *BLACKLIST_MANAGE,
        *APPLICATION_REVIEW,
        *QUOTA_VIEW,
        *PLAN_VIEW,
        *EXPERT_MANAGE,
        *PANEL_VIEW,
        *WINDOW_MANAGE,
        *PASS_RATE_CAP_MANAGE,
        *FILING_REVIEW,
        *CHECKLIST_MANAGE,
        *UNIT_REGISTRATION_REVIEW,
        "units.view_unitpublicity",  # the 内部公示 of the units below, with their results
    ),
    Role.PLAN_REVIEWER: (
        "orgs.view_organization",
        *COMMITTEE_VIEW,
        *PLAN_VIEW,
        "plans.review_normal_plan",
    ),
    Role.PLAN_REVIEWER_SPECIAL: (
        "orgs.view_organization",
        *COMMITTEE_VIEW,
        *PLAN_VIEW,
        "plans.review_special_plan",
    ),
    Role.COMMITTEE: (
        *COMMITTEE_VIEW,
        *APPLICATION_REVIEW,
        *PLAN_COMPILE,
        *EXPERT_MANAGE,
        *PANEL_DRAW,
        *MEETING_RUN,
        *FILING_PUBLISH,
    ),
    Role.EMPLOYER_OFFICER: (
        "orgs.view_organization",
        *APPLICATION_REVIEW,
        *QUOTA_DECLARE,
        "certificates.view_employee_certificate",  # 本单位人员证书
        # A 主管部门's officers hold this role too: they review the units registering under it.
        *UNIT_REGISTRATION_REVIEW,
        *UNIT_PUBLICITY,
    ),
    Role.APPLICANT: ("applications.apply_application", "certificates.view_own_certificate"),
    # 信息评审: an expert scores and votes on the plans whose panel they are on.
    Role.EXPERT: MEETING_REVIEW,
}


def post_migrate_last_app():
    """The app whose post_migrate signal Django sends last (it sends one per app with models,
    in INSTALLED_APPS order): by then every app's permissions exist."""
    from django.apps import apps

    return [config for config in apps.get_app_configs() if config.models_module][-1]


def sync_roles(**kwargs) -> None:
    """Create one group per role and give it exactly its permissions (idempotent).

    Connected to post_migrate, which Django sends once per app (31 times per migrate, and per
    flush: after every transactional test): only the last app's signal syncs, once every
    app's permissions exist. Called directly (no ``app_config``), it always syncs."""
    from django.contrib.auth.models import Group, Permission

    app_config = kwargs.get("app_config")
    if app_config is not None and app_config is not post_migrate_last_app():
        return
    # Permission's own ordering, so that a codename two models of an app share resolves as
    # before (to the first model).
    permissions: dict[tuple[str, str], Permission] = {}
    for permission in Permission.objects.select_related("content_type"):
        key = (permission.content_type.app_label, permission.codename)
        permissions.setdefault(key, permission)
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = (tuple(dotted.split(".")) for dotted in ROLE_PERMISSIONS[role])
        group.permissions.set([permissions[key] for key in wanted if key in permissions])
