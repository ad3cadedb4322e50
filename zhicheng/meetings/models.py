"""评审会议 (issue 12): an approved plan's panel scores and votes on its participants.

A ``Meeting`` belongs to one approved plan whose panel has been drawn (``experts.PanelDraw``).
The committee opens it, panel experts score each 打分细则 item (``Score``) and vote 同意 / 不同意
/ 弃权 (``Vote``, secret: only tallies are ever shown, and only after closing), and the committee
closes it. Closing writes one ``MeetingResult`` per participant: the average score of the
present experts, the tally, and whether the participant passed (≥ the committee's pass
fraction of present experts, then cut by the year's pass-rate cap by score rank).

The results of a closed meeting are what 评后公示 and 1.15 备案 (the ``filings`` app) work from:
``meetings.selectors.passed_results(plan)``.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from zhicheng.common.scoping import scope_rule
from zhicheng.common.workflow import Workflow


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


@scope_rule(org_path="plan__committee__organization__path", committee="plan__committee")
class Meeting(models.Model):
    plan = models.OneToOneField(
        "plans.EvaluationPlan",
        verbose_name="呈报方案",
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    status = models.CharField(
        "状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PENDING
    )
    opened_at = models.DateTimeField("开始时间", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开始人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    workflow = Workflow(
        {
            MeetingStatus.PENDING: {"open": MeetingStatus.OPEN},
            MeetingStatus.OPEN: {"close": MeetingStatus.CLOSED},
            MeetingStatus.CLOSED: {},
        },
        actions={"open": "开始评审会议", "close": "结束评审会议"},
        refused=lambda meeting, action, to: (
            f"评审会议{meeting.get_status_display()}，不能{ {'open': '开始', 'close': '结束'}.get(action, action) }"
        ),
    )

    class Meta:
        verbose_name = "评审会议"
        verbose_name_plural = "评审会议"
        permissions = [("run_meeting", "组织评审会议")]

    def __str__(self) -> str:
        return f"{self.plan}的评审会议"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED


class MeetingResult(models.Model):
    """One participant's result, written when the meeting closes and never changed after."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="评审会议", on_delete=models.CASCADE, related_name="results"
    )
    participant = models.OneToOneField(
        "plans.PlanParticipant",
        verbose_name="参评人员",
        on_delete=models.PROTECT,
        related_name="meeting_result",
    )
    score = models.DecimalField("平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    present = models.PositiveSmallIntegerField("到会专家数")
    agree = models.PositiveSmallIntegerField("同意")
    disagree = models.PositiveSmallIntegerField("不同意")
    abstain = models.PositiveSmallIntegerField("弃权")
    rank = models.PositiveIntegerField("得分排名", null=True, blank=True)
    passed = models.BooleanField("通过")
    # Why a participant with enough 同意 votes did not pass (the pass-rate cap), or is blank.
    cut_reason = models.CharField("未通过原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "评审结果"
        verbose_name_plural = "评审结果"
        indexes = [models.Index(fields=["meeting", "passed"])]

    def __str__(self) -> str:
        return f"{self.participant}：{'通过' if self.passed else '未通过'}"

    @property
    def tally_display(self) -> str:
        return f"同意 {self.agree}，不同意 {self.disagree}，弃权 {self.abstain}"


auditlog.register(Meeting)
