"""The demo pool of committee_eng with logins expert_a / expert_b; an approved plan gets its
panel drawn; loading again changes nothing."""

from django.core.management import call_command

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.experts.demo import DEMO_EXPERTS
from zhicheng.experts.models import Expert, PanelDraw
from zhicheng.plans.models import EvaluationPlan, PlanStatus
from zhicheng.plans.services import plan_review


def test_demo_pool_logins_and_a_drawn_panel_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    committee = User.objects.get(username="committee_eng")
    assert Expert.objects.filter(committee__account=committee).count() == len(DEMO_EXPERTS)
    for username in ("expert_a", "expert_b"):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
        assert user.has_role(Role.EXPERT)
    # The submitted demo plan has no panel (filings.demo draws those of its own two plans).
    # Approve it, and the next load draws its panel.
    plan = EvaluationPlan.objects.get(status=PlanStatus.SUBMITTED)
    assert not PanelDraw.objects.filter(plan=plan).exists()
    before = PanelDraw.objects.count()
    plan_review(actor=User.objects.get(username="plan_reviewer"), plan=plan, approved=True)
    call_command("load_demo", verbosity=0)
    draw = PanelDraw.objects.get(plan=plan)
    assert draw.members.count() == 14
    call_command("load_demo", verbosity=0)
    assert PanelDraw.objects.count() == before + 1
    assert Expert.objects.count() == len(DEMO_EXPERTS)
