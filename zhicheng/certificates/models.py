"""Certificates: issuing units (1.9 发证单位编码配置), their certificate number pools (1.16
证书编号生成) and the signed electronic certificates issued from them (1.17 证书发放)."""

import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from zhicheng.common.list_page import ListPageQuerySet
from zhicheng.common.models import Authored, Deregistrable, DeregistrationStatus, Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage
from zhicheng.common.workflow import Workflow

ISSUING_UNIT_CODE_HELP = (
    "8位数字：发证单位所在地6位行政区划代码 + 2位顺序号（01–99），如 32010001；"
    "编码全省唯一，注销后不再复用"
)


IssuingUnitStatus = DeregistrationStatus


def validate_issuing_unit_code_format(value: str) -> None:
    if not value or len(value) != 8 or not value.isdigit():
        raise ValidationError("发证单位编码应为8位数字（6位行政区划代码 + 2位顺序号）")
    if value[6:] == "00":
        raise ValidationError("发证单位编码的顺序号应为01–99")


def seal_path(instance: "IssuingUnit", filename: str) -> str:
    # A new name per upload: a replaced seal is never served from a stale cache.
    return f"seals/{instance.code}-{uuid.uuid4().hex[:12]}.png"


@scope_rule(org_path="organization__path")
class IssuingUnit(Deregistrable, Authored, Timestamped):
    """发证单位编码: the code of an organization that issues title certificates.

    Format rule: 8 digits = the issuing organization's 6-digit 行政区划代码 (GB/T 2260, the
    organization's ``region_code``) + a 2-digit sequence number 01–99, so one region can have
    several issuing units (the bureau itself, a committee organizer, …) and the certificate
    numbers derived from the code (1.16) tell where a certificate was issued. Example: 南京市人社局
    (320100) → ``32010001``. Codes are unique for ever: a deregistered unit keeps its code, so
    certificate numbers made from it stay unambiguous. An organization has at most one active
    issuing unit.

    Scoped by the organization it concerns: a bureau manages the issuing units of its subtree.
    Deregistered (注销) units keep status, reason, who and when; they are never deleted and
    cannot be chosen for new work (number pools, certificates).
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="单位名称",
        on_delete=models.PROTECT,
        related_name="issuing_units",
    )
    code = models.CharField(
        "编码",
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", "发证单位编码应为8位数字")],
        help_text=ISSUING_UNIT_CODE_HELP,
    )
    # The uploaded seal (PNG, transparent background) printed on its certificates; without
    # one the certificate draws a red round seal from the unit's name (``pdf._draw_seal``).
    seal = models.FileField(
        "印章图片", upload_to=seal_path, storage=private_storage, max_length=300, blank=True
    )

    class Meta:
        verbose_name = "发证单位"
        verbose_name_plural = "发证单位"
        permissions = [("deregister_issuingunit", "注销发证单位")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="active"),
                name="certificates_one_active_issuing_unit_per_org",
                violation_error_message="该单位已有正常状态的发证单位编码",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.organization.name}" if self.organization_id else self.code

    def clean(self) -> None:
        if not self.code:
            return
        try:
            validate_issuing_unit_code_format(self.code)
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from None
        if self.organization_id and self.code[:6] != self.organization.region_code:
            raise ValidationError(
                {"code": (f"编码前6位应为该单位的行政区划代码 {self.organization.region_code}")}
            )


auditlog.register(IssuingUnit)


# 证书编号 = 发证单位编码 (8) + 年度 (4) + 序号 (6): the number tells who issued the certificate
# and in which year; each unit counts its own sequence per year.
SEQUENCE_MAX = 999_999
NUMBERS_PER_GENERATION_MAX = 100_000
CERTIFICATE_NUMBER_HELP = "证书编号 = 发证单位编码（8位）+ 年度（4位）+ 序号（6位），共18位"


def certificate_number(code: str, year: int, sequence: int) -> str:
    return f"{code}{year:04d}{sequence:06d}"


class CertificateNumberStatus(models.TextChoices):
    AVAILABLE = "available", "未使用"
    USED = "used", "已使用"


@scope_rule(org_path="issuing_unit__organization__path")
class CertificateNumberBatch(models.Model):
    """One 生成证书编号: the numbers 开始序号–结束序号 of a unit's year, who made them and when.
    The audit trail of the pool (the numbers are created in bulk, without a log line each)."""

    issuing_unit = models.ForeignKey(
        IssuingUnit,
        verbose_name="发证单位",
        on_delete=models.PROTECT,
        related_name="number_batches",
    )
    year = models.PositiveSmallIntegerField("年度")
    start = models.PositiveIntegerField("开始序号")
    end = models.PositiveIntegerField("结束序号")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "证书编号生成记录"
        verbose_name_plural = "证书编号生成记录"

    def __str__(self) -> str:
        return f"{self.first_number}–{self.last_number}"

    @property
    def count(self) -> int:
        return self.end - self.start + 1

    @property
    def first_number(self) -> str:
        return certificate_number(self.issuing_unit.code, self.year, self.start)

    @property
    def last_number(self) -> str:
        return certificate_number(self.issuing_unit.code, self.year, self.end)


@scope_rule(org_path="issuing_unit__organization__path")
class CertificateNumber(models.Model):
    """证书编号库: one number of a unit's pool, 未使用 until a certificate takes it (1.17)."""

    issuing_unit = models.ForeignKey(
        IssuingUnit,
        verbose_name="发证单位",
        on_delete=models.PROTECT,
        related_name="certificate_numbers",
    )
    batch = models.ForeignKey(
        CertificateNumberBatch,
        verbose_name="生成记录",
        on_delete=models.PROTECT,
        related_name="numbers",
    )
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField(
        "证书编号", max_length=18, unique=True, help_text=CERTIFICATE_NUMBER_HELP
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=CertificateNumberStatus.choices,
        default=CertificateNumberStatus.AVAILABLE,
    )

    # Taken once by a certificate, never given back (services.issuing).
    workflow = Workflow(
        {
            CertificateNumberStatus.AVAILABLE: {"use": CertificateNumberStatus.USED},
            CertificateNumberStatus.USED: {},
        },
        actions={"use": "使用"},
    )

    class Meta:
        verbose_name = "证书编号"
        verbose_name_plural = "证书编号"
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "sequence"],
                name="certificates_number_unique_sequence",
                violation_error_message="该发证单位该年度的序号已生成",
            )
        ]
        indexes = [
            # The next free number of a unit's year (1.17) and the pool's 未使用/已使用 filter.
            models.Index(
                fields=["issuing_unit", "status", "number"], name="cert_number_unit_status"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateStatus(models.TextChoices):
    # Number taken, PDF not yet stored: rendering and signing run outside the transaction that
    # took the number; ``services.issuing.certificates_finish_pending`` finishes one left
    # behind by a crash. Not shown to the holder nor by 证书核验.
    PENDING = "pending", "生成中"
    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"


def certificate_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.number.number[:12]}/{instance.number.number}.pdf"


@scope_rule(org_path="issuing_unit__organization__path", owner="holding__person__user")
class Certificate(models.Model):
    """职称电子证书 (1.17): the signed PDF issued for one 取得职称, numbered from the issuing
    unit's pool. The holder sees his own; it is verified publicly by number and name."""

    holding = models.OneToOneField(
        "titles.TitleHolding",
        verbose_name="取得职称",
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.OneToOneField(
        CertificateNumber,
        verbose_name="证书编号",
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    issuing_unit = models.ForeignKey(
        IssuingUnit, verbose_name="发证单位", on_delete=models.PROTECT, related_name="certificates"
    )
    file = models.FileField(
        "证书文件", upload_to=certificate_path, storage=private_storage, max_length=300
    )
    sha256 = models.CharField("文件摘要", max_length=64)
    status = models.CharField(
        "状态", max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发证人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("发证时间", auto_now_add=True)
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    # 证书遗失补发: the copy in force (1 = the original); each reissue signs copy + 1 with the
    # same number and content, and every earlier copy then verifies as 已补发.
    copy = models.PositiveSmallIntegerField("份次", default=1)

    objects = ListPageQuerySet.as_manager()
    workflow = Workflow(
        {
            CertificateStatus.PENDING: {"finish": CertificateStatus.VALID},
            CertificateStatus.VALID: {"revoke": CertificateStatus.REVOKED},
            CertificateStatus.REVOKED: {},
        },
        actions={"finish": "发放", "revoke": "撤销"},
    )

    class Meta:
        verbose_name = "职称证书"
        verbose_name_plural = "职称证书"
        permissions = [
            ("issue_certificate", "发放证书"),
            ("revoke_certificate", "撤销证书"),
            ("view_own_certificate", "查看本人证书"),
            ("reissue_certificate", "证书遗失补发"),
            ("view_employee_certificate", "查看本单位人员证书"),
        ]
        indexes = [
            # 1.19 / 1.20 list the scope's certificates newest first: the page's ids are read
            # walking this index backwards (ListPageQuerySet), not by sorting them all.
            models.Index(fields=["issued_at", "id"], name="certificate_issued_at_id"),
        ]

    def __str__(self) -> str:
        return self.number.number if self.number_id else "职称证书"

    @property
    def employer_name(self) -> str:
        """The holder's employer: the 申报单位 of the application that won the title, else the
        person's 工作单位 (self-registered applicants have none of their own)."""
        holding = self.holding
        if holding.application_id and holding.application.employer_id:
            return holding.application.employer.name
        person = holding.person
        return person.organization.name if person.organization_id else ""


auditlog.register(CertificateNumberBatch)
# Its reverse relations (证书核验 record, reissues, national reports) are left out with every
# model's: zhicheng.audit.registry.
auditlog.register(Certificate, exclude_fields=["file"])


# --- 1.18 证书报送人社部: the outbox ----------------------------------------------------------


class NationalReportKind(models.TextChoices):
    ISSUE = "issue", "发证"
    REVOKE = "revoke", "撤销"


class NationalReportStatus(models.TextChoices):
    PENDING = "pending", "待上报"
    SENDING = "sending", "上报中"
    DELIVERED = "delivered", "已上报"
    FAILED = "failed", "失败"


@scope_rule(org_path="certificate__issuing_unit__organization__path")
class NationalReport(models.Model):
    """证书报送人社部 (1.18): one outbox row per certificate and kind (发证 / 撤销), written in the
    transaction of 上报 (or of 撤销) and delivered by the worker (``services.national``) to the
    national platform. ``payload`` is the fixed record (``national.national_record``), built when
    the row is first claimed (so 全部上报 writes rows without reading certificates) and frozen
    then, so every attempt sends the same body under the same idempotency key
    ``<证书编号>:<kind>``. A 撤销 row is delivered only after its certificate's 发证 row."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name="证书",
        on_delete=models.PROTECT,
        related_name="national_reports",
    )
    kind = models.CharField("类型", max_length=8, choices=NationalReportKind.choices)
    status = models.CharField(
        "上报状态",
        max_length=16,
        choices=NationalReportStatus.choices,
        default=NationalReportStatus.PENDING,
    )
    payload = models.JSONField("报送内容", null=True, blank=True)
    attempts = models.PositiveIntegerField("上报次数", default=0)
    last_error = models.CharField("最后错误", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("下次上报时间")
    claimed_at = models.DateTimeField("开始上报时间", null=True, blank=True)
    delivered_at = models.DateTimeField("上报成功时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    # claim: a worker takes a due row; deliver / retry_later / fail: the answer of the attempt;
    # release: a claim whose worker died (no answer within the lease) goes back to 待上报;
    # retry: 重新上报 of a failure by an officer.
    workflow = Workflow(
        {
            NationalReportStatus.PENDING: {"claim": NationalReportStatus.SENDING},
            NationalReportStatus.SENDING: {
                "deliver": NationalReportStatus.DELIVERED,
                "retry_later": NationalReportStatus.PENDING,
                "fail": NationalReportStatus.FAILED,
                "release": NationalReportStatus.PENDING,
            },
            NationalReportStatus.FAILED: {"retry": NationalReportStatus.PENDING},
            NationalReportStatus.DELIVERED: {},
        },
        actions={
            "claim": "开始上报",
            "deliver": "标记已上报",
            "retry_later": "稍后重试",
            "fail": "标记失败",
            "release": "重新排队",
            "retry": "重新上报",
        },
    )

    class Meta:
        verbose_name = "证书报送记录"
        verbose_name_plural = "证书报送记录"
        permissions = [("report_certificate", "证书报送人社部")]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind"],
                name="certificates_national_report_once",
                violation_error_message="该证书已上报",
            )
        ]
        indexes = [
            # The worker's due rows.
            models.Index(fields=["status", "next_attempt_at"], name="national_report_due"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key}"

    @property
    def idempotency_key(self) -> str:
        number = (self.payload or {}).get("certificate_number") or self.certificate.number.number
        return f"{number}:{self.kind}"


# --- 1.17 批量发放证书: the issuing job -----------------------------------------------------------


class IssueJobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "发放中"
    FINISHED = "finished", "已完成"
    FAILED = "failed", "失败"


@scope_rule(org_path="issuing_unit__organization__path")
class IssueJob(models.Model):
    """批量发放证书 (1.17) of any size, run in the background (``services.issue_jobs``): the
    officer's choice (the ticked 取得职称, or every one of the scope not yet issued, frozen as
    ``holding_ids`` when the job is created), the issuing unit, and the progress the page
    polls. A worker claims the job (``heartbeat_at`` tells a live run from a dead one) and
    issues in chunks; ``position`` is how far in ``holding_ids`` it has come, so a run started
    again after a crash goes on from there without issuing anything twice."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发证人", on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="发证人所在机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuing_unit = models.ForeignKey(
        IssuingUnit, verbose_name="发证单位", on_delete=models.PROTECT, related_name="issue_jobs"
    )
    scope = models.CharField("发放范围", max_length=16, default="selected")
    holding_ids = models.JSONField("取得职称", default=list)
    public_url = models.CharField("核验地址", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=IssueJobStatus.choices, default=IssueJobStatus.QUEUED
    )
    total = models.PositiveIntegerField("总数", default=0)
    position = models.PositiveIntegerField("已处理", default=0)
    done = models.PositiveIntegerField("已发放", default=0)
    failed = models.PositiveIntegerField("未发放", default=0)
    failures = models.JSONField("未发放原因", default=list, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # start: a worker claims a queued job; resume: a run claims a job whose worker died (no
    # heartbeat within the lease) or that failed; finish / fail: the run's end.
    workflow = Workflow(
        {
            IssueJobStatus.QUEUED: {"start": IssueJobStatus.RUNNING},
            IssueJobStatus.RUNNING: {
                "resume": IssueJobStatus.RUNNING,
                "finish": IssueJobStatus.FINISHED,
                "fail": IssueJobStatus.FAILED,
            },
            IssueJobStatus.FAILED: {"resume": IssueJobStatus.RUNNING},
            IssueJobStatus.FINISHED: {},
        },
        actions={"start": "开始发放", "resume": "继续发放", "finish": "完成", "fail": "标记失败"},
    )

    class Meta:
        verbose_name = "批量发放证书任务"
        verbose_name_plural = "批量发放证书任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="issue_job_by_officer")]

    def __str__(self) -> str:
        return f"批量发放证书 #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == IssueJobStatus.FINISHED else 0
        return int(self.position * 100 / self.total)

    @property
    def is_over(self) -> bool:
        return self.status in (IssueJobStatus.FINISHED, IssueJobStatus.FAILED)


# --- 证书遗失补发 -------------------------------------------------------------------------------


class ReissueStatus(models.TextChoices):
    REQUESTED = "requested", "待补发"
    APPROVED = "approved", "已补发"
    REFUSED = "refused", "不予补发"


REISSUE_REASON_MAX = 200


@scope_rule(
    org_path="certificate__issuing_unit__organization__path",
    owner="certificate__holding__person__user",
)
class CertificateReissue(models.Model):
    """证书遗失补发: the holder asks for a new copy of his certificate (with a reason); an
    officer of the issuing unit re-issues it — the same number and content, signed anew, with
    a 补发 mark and the copy number on its face — or refuses with an opinion. The copy it
    replaced is remembered (its digest and file), and verifies as 已补发 from then on."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="证书", on_delete=models.PROTECT, related_name="reissues"
    )
    reason = models.CharField("补发原因", max_length=REISSUE_REASON_MAX)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=ReissueStatus.choices,
        default=ReissueStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.CharField("办理意见", max_length=200, blank=True)
    copy = models.PositiveSmallIntegerField("补发份次", null=True, blank=True)
    superseded_sha256 = models.CharField("被替换证书摘要", max_length=64, blank=True)
    superseded_file = models.FileField(
        "被替换证书文件", storage=private_storage, max_length=300, blank=True
    )

    workflow = Workflow(
        {
            ReissueStatus.REQUESTED: {
                "approve": ReissueStatus.APPROVED,
                "refuse": ReissueStatus.REFUSED,
            },
            ReissueStatus.APPROVED: {},
            ReissueStatus.REFUSED: {},
        },
        actions={"approve": "补发", "refuse": "不予补发"},
    )

    class Meta:
        verbose_name = "证书补发"
        verbose_name_plural = "证书补发"
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(status="requested"),
                name="certificates_one_open_reissue",
                violation_error_message="该证书已有待办理的补发申请",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate} 补发申请" if self.certificate_id else "证书补发申请"


auditlog.register(CertificateReissue, exclude_fields=["superseded_file"])


# 证书核验's read table (its own module: why it exists is its whole docstring).
from zhicheng.certificates.models_verification import VerificationRecord  # noqa: E402, F401
