"""Demo accounts of DESIGN.md §4, password ``Demo@2026``, exempt from the forced change."""

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create
from zhicheng.orgs.models import Organization

DEMO_PASSWORD = "Demo@2026"

# username, real name, organization key (see orgs.demo), roles, staff
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", "province", [Role.SYSTEM_ADMIN], True),
    ("security", "安全管理员", "province", [Role.SECURITY_ADMIN], False),
    ("auditor", "审计管理员", "province", [Role.AUDIT_ADMIN], False),
    ("hr_province", "省厅经办", "province", [Role.HR_OFFICER], False),
    ("hr_city", "南京市局经办", "city_nj", [Role.HR_OFFICER], False),
    ("plan_reviewer", "方案审核员", "province", [Role.PLAN_REVIEWER], False),
    ("plan_reviewer_special", "特殊方案审核员", "province", [Role.PLAN_REVIEWER_SPECIAL], False),
    ("committee_eng", "江苏省工程技术高级职称评审委员会", "organizer_eng", [Role.COMMITTEE], False),
    ("unit_a", "智能装备公司经办", "unit_a", [Role.EMPLOYER_OFFICER], False),
    ("applicant_a", "张伟", "unit_a", [Role.APPLICANT], False),
]


def load_demo_accounts(orgs: dict[str, Organization]) -> list[str]:
    created = []
    for username, real_name, org_key, roles, staff in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            username=username,
            real_name=real_name,
            organization=orgs[org_key],
            roles=list(roles),
            password=DEMO_PASSWORD,
            must_change_password=False,
            is_staff=staff,
        )
        created.append(username)
    return created
