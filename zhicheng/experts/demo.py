"""Demo 专家库: the pool of ``committee_eng`` — 18 正高级 experts of 机械工程 (080201, enough for
the demo plan's 7 experts drawn 1:2 after 回避) and two 副高级 ones of 电气工程 — added through the
real services by the committee account. The first two log in as ``expert_a`` and ``expert_b``
(password ``Demo@2026``, role 评审专家). An approved plan of the committee without a panel gets
one drawn — with a seed that makes expert_a and expert_b members when one does (``demo_seed``),
so that they log in to a plan they score and vote on. Idempotent: a person already in the pool
is left alone, a drawn plan is not redrawn.
"""

import datetime as dt

from django.utils import timezone

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError
from zhicheng.experts.models import Expert, ExpertLevel, PanelRole
from zhicheng.experts.services import expert_add, panel_draw, panel_select
from zhicheng.orgs.models import Organization
from zhicheng.persons.demo import demo_id_number
from zhicheng.plans.models import EvaluationPlan, PlanStatus

COMMITTEE_ACCOUNT = "committee_eng"
# The demo experts who log in: a demo draw seats them as members whenever a seed does.
DEMO_PANEL = ("expert_a", "expert_b")
SEED_TRIES = 500
# (username or None, name, sequence of the 身份证号, employer key, specialty code, level)
FULL = ExpertLevel.FULL
DEMO_EXPERTS = [
    ("expert_a", "周建国", "301", "unit_c", "080201", FULL),
    ("expert_b", "吴海燕", "302", "unit_f", "080201", FULL),
    (None, "郑志强", "303", "unit_g", "080201", FULL),
    (None, "冯晓东", "304", "unit_h", "080201", FULL),
    (None, "陈立新", "305", "unit_k", "080201", FULL),
    (None, "褚文涛", "306", "unit_c", "080201", FULL),
    (None, "卫红梅", "307", "unit_f", "080201", FULL),
    (None, "蒋志刚", "308", "unit_g", "080201", FULL),
    (None, "沈玉兰", "309", "unit_h", "080201", FULL),
    (None, "韩国华", "310", "unit_k", "080201", FULL),
    (None, "杨振宇", "311", "unit_c", "080201", FULL),
    (None, "朱明辉", "312", "unit_f", "080201", FULL),
    (None, "秦雪梅", "313", "unit_g", "080201", FULL),
    (None, "尤建军", "314", "unit_h", "080201", FULL),
    (None, "许文博", "315", "unit_k", "080201", FULL),
    (None, "何丽萍", "316", "unit_c", "080201", FULL),
    (None, "吕国强", "317", "unit_f", "080201", FULL),
    (None, "施晓燕", "318", "unit_g", "080201", FULL),
    (None, "张卫东", "319", "unit_h", "080801", ExpertLevel.DEPUTY),
    (None, "孔令华", "320", "unit_k", "080801", ExpertLevel.DEPUTY),
]  # fmt: skip


def load(orgs: dict[str, Organization]) -> None:
    account = User.objects.filter(username=COMMITTEE_ACCOUNT).first()
    committee = Committee.objects.filter(account=account).first() if account else None
    if committee is None or not committee.is_active:
        return
    today = timezone.localdate()
    series = TitleSeries.objects.get(code="engineering")
    known = set(committee.experts.values_list("person__id_number", flat=True))
    for username, name, seq, employer, code, level in DEMO_EXPERTS:
        number = demo_id_number("320102", "19700101", seq)
        specialty = Specialty.objects.filter(code=code).first()
        if number in known or specialty is None:
            continue
        expert_add(
            actor=account,
            id_number=number,
            name=name,
            series=series,
            specialty=specialty,
            level=level,
            employer=orgs[employer],
            term_start=today - dt.timedelta(days=365),
            term_end=today + dt.timedelta(days=365 * 2),
            username=username or "",
            password=DEMO_PASSWORD if username else None,
            must_change_password=not username,
        )
    for plan in EvaluationPlan.objects.filter(committee=committee, status=PlanStatus.APPROVED):
        if plan.panel_draws.exists() or not Expert.objects.filter(committee=committee).exists():
            continue
        try:
            panel_draw(actor=account, plan=plan, seed=demo_seed(plan))
        except ApplicationError:
            continue  # a plan whose needs the demo pool cannot meet stays undrawn


def demo_seed(plan: EvaluationPlan) -> int | None:
    """The first seed whose draw (``panel_select``, a pure read) makes ``DEMO_PANEL`` members of
    the plan's panel; None (a random draw) when they are not in its pool or no seed does."""
    wanted = set(
        Expert.objects.filter(
            committee_id=plan.committee_id, account__username__in=DEMO_PANEL
        ).values_list("pk", flat=True)
    )
    if len(wanted) < len(DEMO_PANEL):
        return None
    for seed in range(1, SEED_TRIES):
        try:
            seats = panel_select(plan=plan, seed=seed)
        except ApplicationError:
            return None
        if wanted <= {s.expert_id for s in seats if s.role == PanelRole.MEMBER}:
            return seed
    return None
