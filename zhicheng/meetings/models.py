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


# --- issue 12, 信息评审 / 会议评审: attendance, scores, votes, pass-rate caps -------------------


class Attendance(models.Model):
    """到会: one panel expert (member or alternate) at one meeting. ``seated`` experts are the
    ones who score and vote: the members present, and for each absent member the first present
    alternate of the same 专家需求 in draw order (``stands_in_for`` names the member)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="评审会议", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "experts.PanelMember", verbose_name="专家组成员", on_delete=models.PROTECT, related_name="+"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField("到会")
    seated = models.BooleanField("参加评审")
    stands_in_for = models.ForeignKey(
        "experts.Expert",
        verbose_name="替补",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "到会情况"
        verbose_name_plural = "到会情况"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "expert"], name="meetings_attendance_once_per_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert}：{'到会' if self.present else '缺席'}"


class Score(models.Model):
    """打分: one seated expert's score of one 打分细则 item for one participant (0 … the item's
    maximum). Changed while the meeting is open; fixed once it closes."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="评审会议", on_delete=models.CASCADE, related_name="scores"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "plans.PlanParticipant",
        verbose_name="参评人员",
        on_delete=models.PROTECT,
        related_name="scores",
    )
    item = models.ForeignKey(
        "plans.ScoringItem", verbose_name="打分项目", on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField("得分", max_digits=6, decimal_places=2)
    recorded_at = models.DateTimeField("打分时间", auto_now=True)

    class Meta:
        verbose_name = "打分"
        verbose_name_plural = "打分"
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "participant", "item"], name="meetings_score_once"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="meetings_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"打分 #{self.pk}"


class VoteChoice(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    ABSTAIN = "abstain", "弃权"


class Vote(models.Model):
    """表决: one seated expert's secret vote on one participant — one per expert and participant
    (the database says so: two votes at once leave one). Changed while the meeting is open;
    nobody but the expert ever reads it, the committee only tallies after closing."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="评审会议", on_delete=models.CASCADE, related_name="votes"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name="专家", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "plans.PlanParticipant",
        verbose_name="参评人员",
        on_delete=models.PROTECT,
        related_name="votes",
    )
    choice = models.CharField("表决意见", max_length=16, choices=VoteChoice.choices)
    cast_at = models.DateTimeField("表决时间", auto_now=True)

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "participant"], name="meetings_vote_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"表决 #{self.pk}"  # never the choice: votes are secret


# The defaults of the pass-rate cap (percent of a plan's participants of the level) when no
# ``PassRateCap`` row is configured for the year; levels not listed have no cap.
DEFAULT_PASS_RATE_CAPS = {"senior_full": 40, "senior_deputy": 55}


class CapLevel(models.TextChoices):
    """The levels a pass-rate cap applies to (``catalog.TitleLevel`` values)."""

    SENIOR_FULL = "senior_full", "正高级"
    SENIOR_DEPUTY = "senior_deputy", "副高级"


class PassRateCap(models.Model):
    """通过率上限: at most ``max_percent`` % of a plan's participants of ``level`` pass in
    ``year`` (a meeting's passes beyond it are cut by score rank)."""

    year = models.PositiveSmallIntegerField("年度")
    level = models.CharField("职称级别", max_length=16, choices=CapLevel.choices)
    max_percent = models.PositiveSmallIntegerField("通过率上限（%）")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="设置人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "通过率上限"
        verbose_name_plural = "通过率上限"
        constraints = [
            models.UniqueConstraint(fields=["year", "level"], name="meetings_cap_once_per_level"),
            models.CheckConstraint(
                condition=models.Q(max_percent__gte=1, max_percent__lte=100),
                name="meetings_cap_percent_range",
                violation_error_message="通过率上限应在 1% 至 100% 之间",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}通过率上限 {self.max_percent}%"


auditlog.register(PassRateCap)
