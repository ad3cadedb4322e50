"""专家库 (expert pool) and the draw of a plan's panel (issue 12).

An ``Expert`` is a person in one committee's pool, with a login of role 评审专家: series,
specialty, level (正高级 / 副高级), employer and term. 出库 (with a reason) and 入库 again move
``status`` through the workflow kernel; an expert is never deleted.

A ``PanelDraw`` is one draw of an approved plan's panel (评审专家抽取): its seed is stored so the
same seed over the same pool gives the same panel; a redraw is a new ``PanelDraw`` with a reason,
the plan's panel being the members of its latest draw. A ``PanelMember`` is one drawn expert:
for each 专家需求 of ``count`` experts, 2 × count are drawn (1:2), the first ``count`` in draw
order being members (评审专家), the rest alternates (备选专家).
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.workflow import Workflow


class ExpertLevel(models.TextChoices):
    """The title the expert holds. A 专家需求 (``plans.models.ExpertLevel``) of 副高级及以上
    accepts both, one of 正高级 only 正高级."""

    FULL = "full", "正高级"
    DEPUTY = "deputy", "副高级"


class ExpertStatus(models.TextChoices):
    IN_POOL = "in_pool", "在库"
    OUT = "out", "出库"


@scope_rule(org_path="committee__organization__path", committee="committee")
class Expert(Timestamped):
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name="所属评委会",
        on_delete=models.PROTECT,
        related_name="experts",
    )
    person = models.ForeignKey(
        "persons.Person",
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="expert_entries",
    )
    # One login per person, shared when the person sits in several committees' pools.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专家账号",
        on_delete=models.PROTECT,
        related_name="expert_entries",
    )
    series = models.ForeignKey(
        "catalog.TitleSeries", verbose_name="职称系列", on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.ForeignKey(
        "catalog.Specialty", verbose_name="专业", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("职称级别", max_length=16, choices=ExpertLevel.choices)
    employer = models.ForeignKey(
        "orgs.Organization",
        verbose_name="工作单位",
        on_delete=models.PROTECT,
        related_name="experts",
    )
    term_start = models.DateField("聘任期起")
    term_end = models.DateField("聘任期止")
    status = models.CharField(
        "状态", max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.IN_POOL
    )
    leave_reason = models.TextField("出库原因", blank=True, max_length=1000)
    left_at = models.DateTimeField("出库时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    workflow = Workflow(
        {
            ExpertStatus.IN_POOL: {"leave": ExpertStatus.OUT},
            ExpertStatus.OUT: {"rejoin": ExpertStatus.IN_POOL},
        },
        actions={"leave": "出库", "rejoin": "入库"},
        refused=lambda expert, action, to: (
            f"专家“{expert.person.name}”已{expert.get_status_display()}，不能{action_label(action)}"
        ),
    )

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"
        permissions = [("leave_expert", "专家出库、入库")]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"],
                name="experts_once_per_committee",
                violation_error_message="该人员已在本评委会专家库中",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")),
                name="experts_term_end_not_before_start",
                violation_error_message="聘任期止不能早于聘任期起",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status", "specialty"])]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_level_display()}）"

    @property
    def is_in_pool(self) -> bool:
        return self.status == ExpertStatus.IN_POOL

    @property
    def term_display(self) -> str:
        return f"{self.term_start:%Y-%m-%d}至{self.term_end:%Y-%m-%d}"

    @property
    def in_term(self) -> bool:
        return self.term_start <= timezone.localdate() <= self.term_end


def action_label(action: str) -> str:
    return {"leave": "出库", "rejoin": "入库"}.get(action, action)


@scope_rule(org_path="plan__committee__organization__path", committee="plan__committee")
class PanelDraw(models.Model):
    """One draw of a plan's panel; the latest one is the panel."""

    plan = models.ForeignKey(
        "plans.EvaluationPlan",
        verbose_name="呈报方案",
        on_delete=models.PROTECT,
        related_name="panel_draws",
    )
    number = models.PositiveSmallIntegerField("抽取次数")
    seed = models.PositiveBigIntegerField("随机种子")
    reason = models.TextField("重新抽取原因", blank=True, max_length=1000)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家抽取"
        verbose_name_plural = "专家抽取"
        permissions = [("draw_panel", "抽取评审专家")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="experts_draw_number_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.number}次抽取（种子 {self.seed}）"


class PanelRole(models.TextChoices):
    MEMBER = "member", "评审专家"
    ALTERNATE = "alternate", "备选专家"


class PanelMember(models.Model):
    plan = models.ForeignKey(
        "plans.EvaluationPlan",
        verbose_name="呈报方案",
        on_delete=models.PROTECT,
        related_name="panel_members",
    )
    draw = models.ForeignKey(
        PanelDraw, verbose_name="抽取", on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(
        Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="panel_seats"
    )
    requirement = models.ForeignKey(
        "plans.ExpertRequirement",
        verbose_name="专家需求",
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField("抽取顺序")
    role = models.CharField("身份", max_length=16, choices=PanelRole.choices)

    class Meta:
        verbose_name = "评审专家组成员"
        verbose_name_plural = "评审专家组成员"
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="experts_member_once_a_draw"),
            models.UniqueConstraint(fields=["draw", "order"], name="experts_member_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.expert}（{self.get_role_display()}）"


auditlog.register(Expert)
auditlog.register(PanelDraw)
