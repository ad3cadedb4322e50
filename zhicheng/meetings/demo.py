"""Demo 评审会议: each approved plan of ``committee_eng`` with a drawn panel and no meeting yet
gets its meeting held through the real services — opened, every member present, each seated
expert scores every participant and votes (同意, but for one 不同意 on the last participant),
and closed, so results exist (the pass-rate cap cuts by score rank when the passes exceed it).
Idempotent: a plan that has a meeting is left alone."""

from collections.abc import Collection

from zhicheng.accounts.models import User
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError
from zhicheng.experts.models import PanelRole
from zhicheng.meetings import selectors, services
from zhicheng.meetings.models import Meeting, VoteChoice
from zhicheng.orgs.models import Organization
from zhicheng.plans.models import EvaluationPlan, PlanStatus

COMMITTEE_ACCOUNT = "committee_eng"


def load(orgs: dict[str, Organization]) -> None:
    account = User.objects.filter(username=COMMITTEE_ACCOUNT).first()
    committee = Committee.objects.filter(account=account).first() if account else None
    if committee is None:
        return
    plans = EvaluationPlan.objects.filter(committee=committee, status=PlanStatus.APPROVED)
    for plan in plans.order_by("pk"):
        draw = selectors.panel_draw_of(plan)
        if draw is None or Meeting.objects.filter(plan=plan).exists():
            continue
        try:
            hold(account, plan, draw)
        except ApplicationError:
            continue  # a plan the demo data cannot carry through stays as it is


def hold(account: User, plan: EvaluationPlan, draw, *, voted_down: Collection[int] = ()) -> None:
    """Hold the meeting of ``plan`` through the services: every member present, each scores
    and votes with their own login — 同意, but 不同意 on the participants (ids) ``voted_down``
    and once on the last — and the committee closes it."""
    services.meeting_open(actor=account, plan=plan)
    members = list(draw.members.filter(role=PanelRole.MEMBER).select_related("expert__account"))
    services.attendance_record(actor=account, plan=plan, present=[m.expert_id for m in members])
    participants = list(plan.participants.select_related("application").order_by("pk"))
    items = list(plan.scoring.order_by("pk"))
    for index, participant in enumerate(participants):
        for seat, member in enumerate(members):
            expert = member.expert
            if selectors.recusal_reason(expert, participant):
                continue
            # Scores fall with the participant's place, so the cap (if any) cuts the last.
            scores = {item.pk: max(item.max_score - index * 3 - (seat % 3), 0) for item in items}
            services.score_record(actor=expert.account, participant=participant, scores=scores)
            last = index == len(participants) - 1 and seat == 0 and len(participants) > 1
            down = last or participant.pk in voted_down
            services.vote_cast(
                actor=expert.account,
                participant=participant,
                choice=VoteChoice.DISAGREE if down else VoteChoice.AGREE,
            )
    services.meeting_close(actor=account, plan=plan)
