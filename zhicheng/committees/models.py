"""评委会 (guide 1.10 / 1.11): evaluation committees, their review specialties, organizers and fees.

A committee is managed by an HR bureau (``organization``) and logs in with its own account
(``account``, role 评委会). Deregistered committees are never deleted: status, reason, actor and
time stay, and neither a deregistered nor an expired committee can receive new work
(:attr:`Committee.is_accepting_work`, :meth:`CommitteeQuerySet.accepting_work`).
"""

import datetime as dt
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from zhicheng.common.models import (
    Authored,
    Deregistrable,
    DeregistrableQuerySet,
    DeregistrationStatus,
    Timestamped,
)
from zhicheng.common.scoping import scope_rule

MAX_VALIDITY_YEARS = 3
HANDOUT_TTL = dt.timedelta(hours=24)  # an undownloaded initial-password file is dropped after


class CommitteeLevel(models.TextChoices):
    """评委会级别: 高评会 / 中评会 / 初评会 (the review route kinds senior / intermediate / junior)."""

    SENIOR = "senior", "高级"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级"


CommitteeStatus = DeregistrationStatus


class FeeItem(models.TextChoices):
    """缴费项目."""

    REVIEW = "review", "评审费"
    MATERIAL = "material", "材料费"
    OTHER = "other", "其他"


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validity_limit(valid_from: dt.date) -> dt.date:
    """The last day a committee approved from ``valid_from`` may be valid (3 years, inclusive)."""
    return add_years(valid_from, MAX_VALIDITY_YEARS) - dt.timedelta(days=1)


class CommitteeQuerySet(DeregistrableQuerySet):
    def accepting_work(self, on: dt.date | None = None) -> "CommitteeQuerySet":
        """Committees that may receive new work: 正常 and within their validity."""
        day = on or timezone.localdate()
        return self.active().filter(valid_from__lte=day, valid_until__gte=day)


@scope_rule(org_path="organization__path", committee="pk")
class Committee(Deregistrable, Authored, Timestamped):
    name = models.CharField("评委会名称", max_length=200)
    level = models.CharField("评委会级别", max_length=16, choices=CommitteeLevel.choices)
    series = models.ForeignKey(
        "catalog.TitleSeries",
        verbose_name="职称系列",
        on_delete=models.PROTECT,
        related_name="committees",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="评委会账号",
        on_delete=models.PROTECT,
        related_name="committee",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="管理机构",
        on_delete=models.PROTECT,
        related_name="managed_committees",
        help_text="管理该评委会的人社部门",
    )
    approval_number = models.CharField("核准备案文号", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止")
    review_specialties = models.ManyToManyField(
        "catalog.Specialty",
        verbose_name="评审专业",
        through="CommitteeSpecialty",
        related_name="committees",
        blank=True,
    )
    organizers = models.ManyToManyField(
        "orgs.Organization",
        verbose_name="组建单位",
        through="CommitteeOrganizer",
        related_name="organized_committees",
        blank=True,
    )
    # 评审会议 (issue 12): quorum = present experts ≥ quorum fraction of the panel; a participant
    # passes with 同意 ≥ pass fraction of the present experts. Both 2/3 unless configured.
    quorum_numerator = models.PositiveSmallIntegerField("到会比例（分子）", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("到会比例（分母）", default=3)
    pass_numerator = models.PositiveSmallIntegerField("通过比例（分子）", default=2)
    pass_denominator = models.PositiveSmallIntegerField("通过比例（分母）", default=3)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = "评委会"
        verbose_name_plural = "评委会"
        permissions = [("deregister_committee", "注销评委会")]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["status", "valid_until"]),
        ]
        constraints = [
            # One 正常 committee per name (a deregistered one's name may be reused); the
            # services say so first, this catches two requests at once.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(status=CommitteeStatus.ACTIVE),
                name="committee_active_name_unique",
                violation_error_message="已存在同名的正常状态评委会",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quorum_numerator__gte=1,
                    quorum_numerator__lte=models.F("quorum_denominator"),
                    pass_numerator__gte=1,
                    pass_numerator__lte=models.F("pass_denominator"),
                ),
                name="committee_fractions_valid",
                violation_error_message="到会比例和通过比例应在 0 到 1 之间（分子不大于分母）",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.valid_from and self.valid_until:
            if self.valid_until < self.valid_from:
                errors["valid_until"] = "有效期止不能早于有效期起"
            elif self.valid_until > validity_limit(self.valid_from):
                errors["valid_until"] = (
                    f"有效期最长{MAX_VALIDITY_YEARS}年，有效期止不能晚于"
                    f"{validity_limit(self.valid_from):%Y-%m-%d}"
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def is_not_yet_valid(self) -> bool:
        return self.valid_from > timezone.localdate()

    @property
    def is_accepting_work(self) -> bool:
        """正常 and within its validity: only such a committee may receive new work."""
        return self.is_active and not self.is_expired and not self.is_not_yet_valid

    @property
    def quorum_display(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"

    @property
    def pass_fraction_display(self) -> str:
        return f"{self.pass_numerator}/{self.pass_denominator}"

    @property
    def validity_display(self) -> str:
        """The status an officer reads in a list: 正常 / 已过期 / 未生效 / 已注销."""
        if not self.is_active:
            return self.get_status_display()
        if self.is_expired:
            return "已过期"
        if self.is_not_yet_valid:
            return "未生效"
        return "正常"


@scope_rule(org_path="committee__organization__path", committee="committee")
class CommitteeSpecialty(models.Model):
    """评审专业: a specialty the committee reviews."""

    committee = models.ForeignKey(
        Committee,
        verbose_name="评委会",
        on_delete=models.CASCADE,
        related_name="specialty_links",
    )
    specialty = models.ForeignKey(
        "catalog.Specialty",
        verbose_name="评审专业",
        on_delete=models.PROTECT,
        related_name="committee_links",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评审专业"
        verbose_name_plural = "评审专业"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "specialty"], name="committee_specialty_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} - {self.specialty}"


@scope_rule(org_path="committee__organization__path", committee="committee")
class CommitteeOrganizer(models.Model):
    """组建单位: an organization that formed the committee."""

    committee = models.ForeignKey(
        Committee,
        verbose_name="评委会",
        on_delete=models.CASCADE,
        related_name="organizer_links",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="组建单位",
        on_delete=models.PROTECT,
        related_name="committee_organizer_links",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "组建单位"
        verbose_name_plural = "组建单位"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "organization"], name="committee_organizer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} - {self.organization}"


@scope_rule(org_path="committee__organization__path", committee="committee")
class FeeStandard(Timestamped):
    """缴费标准: an item an applicant pays to the committee, in yuan (two decimals, > 0)."""

    committee = models.ForeignKey(
        Committee, verbose_name="评委会", on_delete=models.CASCADE, related_name="fees"
    )
    item = models.CharField("缴费项目", max_length=16, choices=FeeItem.choices)
    amount = models.DecimalField(
        "金额（元）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="缴费金额必须大于0")],
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "缴费标准"
        verbose_name_plural = "缴费标准"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "item", "note"],
                name="fee_standard_item_note_unique",
                violation_error_message="该评委会已有相同缴费项目和说明的缴费标准，请修改原有记录",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount}元"


auditlog.register(Committee)
auditlog.register(CommitteeSpecialty)
auditlog.register(CommitteeOrganizer)
auditlog.register(FeeStandard)


@scope_rule(org_path="actor__organization__path")
class AccountHandout(models.Model):
    """评委会初始密码文件: the generated passwords of the accounts one import created.

    The importer downloads it once (then ``entries`` is emptied); undownloaded entries are
    dropped after ``HANDOUT_TTL``. Deliberately not registered with auditlog, so the passwords
    never reach the operation log; the accounts must change them at first login anyway.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    account_count = models.PositiveIntegerField("账号数")
    entries = models.JSONField("账号与初始密码", default=list, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    downloaded_at = models.DateTimeField("下载时间", null=True, blank=True)

    class Meta:
        verbose_name = "评委会初始密码文件"
        verbose_name_plural = "评委会初始密码文件"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"评委会初始密码文件（{self.account_count}个账号）"
