"""The application itself: its statuses and their ``TRANSITIONS``, the stored route
(``ApplicationRouteNode``), the work history and the uploaded files (电子档案)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.list_page import ListPageQuerySet
from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage
from zhicheng.common.workflow import Workflow
from zhicheng.routing.models import RouteKind

from .determination import Education


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    UNDER_REVIEW = "under_review", "审核中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "审核通过"
    WITHDRAWN = "withdrawn", "已撤回"
    # 视为放弃: returned for 补正 and not resubmitted by the deadline (a scheduled job moves it).
    ABANDONED = "abandoned", "视为放弃"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "提交申报"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "审核不通过退回"
    RETURN_FOR_SUPPLEMENT = "return_for_supplement", "退回补充材料"
    RESUBMIT = "resubmit", "重新提交"
    WITHDRAW = "withdraw", "撤回申报"
    EXPIRE = "expire", "逾期未补正，视为放弃"


S, A = ApplicationStatus, ReviewAction

# status → action → the statuses the action may lead to. Anything not listed is refused.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.DRAFT: {
        A.SUBMIT: frozenset({S.UNDER_REVIEW}),
        A.WITHDRAW: frozenset({S.WITHDRAWN}),
    },
    S.UNDER_REVIEW: {
        # Upwards to the next level (still under review), or effective at the top.
        A.APPROVE: frozenset({S.UNDER_REVIEW, S.APPROVED}),
        # One level down, or from the employer back to the applicant.
        A.RETURN: frozenset({S.UNDER_REVIEW, S.RETURNED}),
        A.RETURN_FOR_SUPPLEMENT: frozenset({S.UNDER_REVIEW, S.RETURNED}),
        # Only while nobody has acted on it since it was (re)submitted.
        A.WITHDRAW: frozenset({S.WITHDRAWN}),
    },
    S.RETURNED: {
        A.RESUBMIT: frozenset({S.UNDER_REVIEW}),
        A.WITHDRAW: frozenset({S.WITHDRAWN}),
        # The 补正 deadline passed without a resubmission (``services.deadlines``).
        A.EXPIRE: frozenset({S.ABANDONED}),
    },
    S.APPROVED: {},
    S.WITHDRAWN: {},
    S.ABANDONED: {},
}

# 评审 at the top of its route: the committee's turn (its account acts, not an officer);
# ``Application.is_committee_turn`` is the same test on a loaded row.
COMMITTEE_TURN = Q(acquisition_method=AcquisitionMethod.EVALUATION) & Q(
    route_position=F("route_length") - 1
)
# Waiting for the officers of ``current_organization`` (their 待审核 list).
OFFICERS_TURN = Q(status=S.UNDER_REVIEW) & ~COMMITTEE_TURN

# Statuses in which the applicant may edit the data and the attachments.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
# Statuses that block another application for the same title in the same year.
BLOCKING_STATUSES = frozenset({S.UNDER_REVIEW, S.RETURNED, S.APPROVED})

# 取得方式 an applicant may choose here (考试 / 考评结合 are not applied for in this system).
APPLICATION_METHODS = (
    AcquisitionMethod.INITIAL,
    AcquisitionMethod.RECOGNITION,
    AcquisitionMethod.EVALUATION,
)
METHOD_ROUTE_KIND = {
    AcquisitionMethod.INITIAL: RouteKind.INITIAL,
    AcquisitionMethod.RECOGNITION: RouteKind.RECOGNITION,
}
# 评审: the committee route kind of a title level (初评会 / 中评会 / 高评会).
LEVEL_COMMITTEE_KIND = {
    TitleLevel.SENIOR_FULL: RouteKind.SENIOR,
    TitleLevel.SENIOR_DEPUTY: RouteKind.SENIOR,
    TitleLevel.INTERMEDIATE: RouteKind.INTERMEDIATE,
    TitleLevel.ASSISTANT: RouteKind.JUNIOR,
    TitleLevel.JUNIOR: RouteKind.JUNIOR,
}


class ReturnModule(models.TextChoices):
    """补正模块: the parts of an application a return (退回补正) names; only these may be edited
    until it is resubmitted."""

    EDUCATION = "education", "学历"
    PERFORMANCE = "performance", "业绩"
    PAPERS = "papers", "论文"
    AWARDS = "awards", "奖励"
    OTHER = "other", "其他"


# What each 补正模块 opens for editing: the application's fields (``work_experiences`` is the
# work history, the other names are the service's arguments) and the 电子档案 categories.
MODULE_FIELDS: dict[str, frozenset[str]] = {
    ReturnModule.EDUCATION: frozenset({"education", "school", "major", "graduation_date"}),
    ReturnModule.PERFORMANCE: frozenset(
        {"work_start_date", "current_title_name", "current_title_date", "work_experiences"}
    ),
    ReturnModule.PAPERS: frozenset(),
    ReturnModule.AWARDS: frozenset(),
    ReturnModule.OTHER: frozenset(
        {
            "acquisition_method",
            "title",
            "specialty",
            "employer",
            "committee",
            "notice_acknowledged",
            "integrity_pledged",
        }
    ),
}
MODULE_CATEGORIES: dict[str, frozenset[str]] = {
    ReturnModule.EDUCATION: frozenset({"diploma"}),
    ReturnModule.PERFORMANCE: frozenset({"performance", "title_certificate"}),
    ReturnModule.PAPERS: frozenset({"paper"}),
    ReturnModule.AWARDS: frozenset({"award"}),
    ReturnModule.OTHER: frozenset({"id_card", "other"}),
}


class AttachmentCategory(models.TextChoices):
    DIPLOMA = "diploma", "学历证书"
    ID_CARD = "id_card", "身份证"
    TITLE_CERTIFICATE = "title_certificate", "现职称证书"
    PERFORMANCE = "performance", "业绩材料"
    PAPER = "paper", "论文"
    AWARD = "award", "获奖证书"
    # 省外资格确认: the title certificate issued by the other province.
    OUT_OF_PROVINCE_CERTIFICATE = "out_of_province_certificate", "省外职称证书"
    OTHER = "other", "其他"


# Categories an application must carry before it can be submitted.
REQUIRED_ATTACHMENTS = (AttachmentCategory.ID_CARD, AttachmentCategory.DIPLOMA)
# 省外资格确认 also needs the other province's certificate.
OUT_OF_PROVINCE_ATTACHMENTS = (AttachmentCategory.OUT_OF_PROVINCE_CERTIFICATE,)


class ApplicationQuerySet(ListPageQuerySet):
    """``ListPageQuerySet``: the capped count and the two-step page over a million
    applications."""


@scope_rule(
    # Officers: the stored route passes through their subtree — their organization is one of
    # the route's organizations or an ancestor of one (an EXISTS over the scope nodes).
    org_closure="route_nodes__organization",
    owner="applicant",
    committee="committee",
)
class Application(Timestamped):
    person = models.ForeignKey(
        "persons.Person",
        verbose_name="申报人",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报账号",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    acquisition_method = models.CharField(
        "取得方式", max_length=32, choices=[(m.value, m.label) for m in APPLICATION_METHODS]
    )
    title = models.ForeignKey(
        "catalog.Title", verbose_name="申报职称", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField("职称级别", max_length=16, choices=TitleLevel.choices)
    specialty = models.ForeignKey(
        "catalog.Specialty", verbose_name="申报专业", on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        "orgs.Organization", verbose_name="用人单位", on_delete=models.PROTECT, related_name="+"
    )
    acceptance_office = models.ForeignKey(
        "routing.AcceptanceOffice",
        verbose_name="受理机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    committee = models.ForeignKey(
        "committees.Committee",
        verbose_name="评委会",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    route_kind = models.CharField("审核路径", max_length=16, choices=RouteKind.choices)
    year = models.PositiveSmallIntegerField("申报年度")

    # 个人及工作信息
    education = models.CharField("学历", max_length=32, choices=Education.choices, blank=True)
    school = models.CharField("毕业院校", max_length=100, blank=True)
    major = models.CharField("所学专业", max_length=100, blank=True)
    graduation_date = models.DateField("毕业时间", null=True, blank=True)
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    current_title_name = models.CharField("现职称", max_length=50, blank=True)
    current_title_date = models.DateField("现职称取得时间", null=True, blank=True)
    notice_acknowledged_at = models.DateTimeField("已阅读申报须知", null=True, blank=True)
    # 省外资格确认: a title obtained in another province, confirmed here as 认定 (routed and
    # granted like any 认定); the applicant names the province and the certificate, and
    # uploads the certificate (``OUT_OF_PROVINCE_ATTACHMENTS``).
    out_of_province = models.BooleanField("省外资格确认", default=False)
    origin_province = models.CharField("原取得省份", max_length=20, blank=True)
    origin_certificate_number = models.CharField("原证书编号", max_length=50, blank=True)
    integrity_pledged_at = models.DateTimeField("诚信承诺时间", null=True, blank=True)

    # Workflow
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    current_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="当前审核机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    route_chain = models.JSONField("审核路径（机构）", default=list, blank=True)
    route_position = models.PositiveSmallIntegerField("当前审核层级", default=0)
    route_length = models.PositiveSmallIntegerField("审核层级数", default=0)
    returned_from = models.ForeignKey(
        "orgs.Organization",
        verbose_name="上级退回机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="上级退回到当前机构、待处理时为退回的上级机构",
    )
    version = models.PositiveIntegerField("版本", default=0)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    # 申报批次: the window a 评审 was submitted in (rules.check_window); empty for 初定/认定 and
    # where no window was configured (the transition rule).
    window = models.ForeignKey(
        "windows.ApplicationWindow",
        verbose_name="申报批次",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )

    # 退回补正 (the last return that reached the applicant): the modules he may edit (empty: all)
    # and the last day to resubmit; a day before it he is warned (``deadline_warned_on``).
    return_modules = models.JSONField("补正模块", default=list, blank=True)
    correction_deadline = models.DateField("补正期限", null=True, blank=True)
    deadline_warned_on = models.DateField("到期提醒日期", null=True, blank=True)
    # 受理号: given at the acceptance office's (初定/认定) or the first HR bureau's approval.
    acceptance_number = models.CharField(
        "受理号", max_length=32, null=True, blank=True, unique=True
    )

    objects = ApplicationQuerySet.as_manager()
    # Every status change goes through ``common.workflow.transition``; each step appends a
    # ``ReviewRecord`` (the 过程跟踪 timeline), built by ``timeline_record``.
    workflow = Workflow(TRANSITIONS, actions=ReviewAction, record="timeline_record")

    class Meta:
        verbose_name = "职称申报"
        verbose_name_plural = "职称申报"
        permissions = [
            ("review_application", "职称申报资格审核"),
            ("apply_application", "申报职称"),
        ]
        indexes = [
            # 待审核: what waits at one organization, newest first.
            # 待审核 of an organization's officers, newest first: only the rows waiting for
            # them (a top organization's committee-turn rows are not read past every time).
            models.Index(
                fields=["current_organization", "-submitted_at", "-id"],
                condition=OFFICERS_TURN,
                name="app_officers_turn",
            ),
            models.Index(fields=["-submitted_at", "-id"], name="app_submitted"),
            models.Index(fields=["person", "title", "year"], name="app_person_title_year"),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant"),
            models.Index(fields=["committee", "status"], name="app_committee_status"),
            # 1.12 查询 by 年度, and by 状态 (+ 年度), newest first: without them a page of
            # last year's rows reads past every newer row of the descending index.
            models.Index(fields=["year", "-submitted_at", "-id"], name="app_year_submitted"),
            models.Index(fields=["status", "year", "-submitted_at", "-id"], name="app_status_year"),
            # The hourly deadline job reads only the returned rows that carry a deadline.
            models.Index(
                fields=["correction_deadline"],
                condition=Q(status="returned", correction_deadline__isnull=False),
                name="app_correction_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.year}年 {self.title.name}（{self.get_acquisition_method_display()}）"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def restricted_modules(self) -> list[str]:
        """退回补正 with named modules: only those may be edited (empty: no restriction)."""
        if self.status == ApplicationStatus.RETURNED and self.return_modules:
            return list(self.return_modules)
        return []

    def may_edit_field(self, name: str) -> bool:
        modules = self.restricted_modules
        return not modules or any(name in MODULE_FIELDS.get(m, ()) for m in modules)

    def may_edit_category(self, category: str) -> bool:
        modules = self.restricted_modules
        return not modules or any(category in MODULE_CATEGORIES.get(m, ()) for m in modules)

    @property
    def return_module_labels(self) -> list[str]:
        labels = dict(ReturnModule.choices)
        return [labels.get(code, code) for code in self.return_modules or []]

    @property
    def is_evaluation(self) -> bool:
        return self.acquisition_method == AcquisitionMethod.EVALUATION

    @property
    def at_top(self) -> bool:
        return self.route_length > 0 and self.route_position == self.route_length - 1

    @property
    def is_committee_turn(self) -> bool:
        """评审 at the top of its route: the committee acts (``COMMITTEE_TURN`` in SQL)."""
        return self.is_evaluation and self.at_top

    @property
    def at_employer(self) -> bool:
        return self.route_length > 0 and self.route_position == 0

    @property
    def next_organization_id(self) -> int | None:
        if not self.route_chain or self.at_top:
            return None
        return self.route_chain[self.route_position + 1]

    def timeline_record(
        self,
        *,
        action: str,
        actor,
        from_status: str,
        opinion: str = "",
        organization=None,
        from_organization=None,
        to_organization=None,
        reasons=(),
        modules=(),
        deadline_workdays=None,
        deadline=None,
        acceptance_number="",
    ):
        """The workflow's record hook: the step's unsaved ``ReviewRecord`` (organizations as
        rows or ids)."""
        from zhicheng.orgs.models import Organization

        from .records import ReviewRecord

        def org_id(value):
            return value.pk if isinstance(value, Organization) else value

        return ReviewRecord(
            application=self,
            action=action,
            organization_id=org_id(organization),
            actor=actor,
            # The scheduled 视为放弃 step has no person acting: the system.
            actor_name=(actor.real_name or actor.username)[:150] if actor else "系统",
            opinion=opinion,
            reasons=list(reasons),
            modules=list(modules),
            deadline_workdays=deadline_workdays,
            deadline=deadline,
            acceptance_number=acceptance_number or "",
            from_organization_id=org_id(from_organization),
            to_organization_id=org_id(to_organization),
            from_status=from_status,
            to_status=self.status,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.current_title_date and not self.current_title_name:
            errors["current_title_name"] = "填写了现职称取得时间时，请填写现职称"
        if self.out_of_province and self.acquisition_method != AcquisitionMethod.RECOGNITION:
            errors["out_of_province"] = "省外资格确认按认定办理，取得方式请选择“认定”"
        if errors:
            raise ValidationError(errors)


class ApplicationRouteNode(models.Model):
    """The scope index of an application: every organization on its stored route (with its
    level, ``position``) and every ancestor of one (``position`` empty). An officer sees the
    application when their organization is among its nodes — the same as "the route passes
    through their subtree", answered by one indexed equality. Nodes of earlier submissions
    stay (the organizations that reviewed it keep seeing it). Organizations are never moved in
    the tree, so the ancestors stay true."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="route_nodes"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(
        "层级", null=True, blank=True, help_text="审核路径上的层级；上级机构（不在路径上）为空"
    )
    # Copies of the application's columns that the 1.12 query filters and orders by (kept by
    # ``services.route_nodes_refresh`` whenever the application changes them): an officer's
    # list then reads their organization's nodes in page order from one index, filtering
    # inside it, instead of testing the scope of every application in order.
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="+", null=True, db_index=False
    )
    title = models.ForeignKey(
        "catalog.Title", on_delete=models.PROTECT, related_name="+", null=True, db_index=False
    )
    acquisition_method = models.CharField("取得方式", max_length=32, blank=True)
    level = models.CharField("级别", max_length=16, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    COPIED_FIELDS = ("person_id", "title_id", "acquisition_method", "level", "year", "submitted_at")

    class Meta:
        verbose_name = "申报审核路径节点"
        verbose_name_plural = "申报审核路径节点"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organization"], name="app_route_node_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "-submitted_at", "-application"],
                include=["acquisition_method", "level", "year", "title", "person"],
                name="app_node_org_order",
            ),
            # 年度 is the filter every office uses: a range of this index, not a walk past the
            # newer years in the one above.
            models.Index(
                fields=["organization", "year", "-submitted_at", "-application"],
                include=["acquisition_method", "level", "title", "person"],
                name="app_node_org_year_order",
            ),
        ]

    def __str__(self) -> str:
        level = "" if self.position is None else f"#{self.position}"
        return f"{self.application_id}@{self.organization_id}{level}"


class WorkExperience(models.Model):
    """工作经历: one row of the applicant's work history."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="work_experiences"
    )
    start_date = models.DateField("开始时间")
    end_date = models.DateField("结束时间", null=True, blank=True, help_text="至今可不填")
    organization_name = models.CharField("工作单位", max_length=200)
    position = models.CharField("岗位/职务", max_length=100, blank=True)
    description = models.CharField("从事专业技术工作", max_length=500, blank=True)

    class Meta:
        verbose_name = "工作经历"
        verbose_name_plural = "工作经历"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="work_experience_end_not_before_start",
                violation_error_message="工作经历的结束时间不能早于开始时间",
            )
        ]

    def __str__(self) -> str:
        end = f"{self.end_date:%Y-%m}" if self.end_date else "至今"
        return f"{self.start_date:%Y-%m}–{end} {self.organization_name}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploader's file name in the path: a random name with the detected extension.
    return f"applications/{instance.application_id}/{instance.stored_name}"


@scope_rule(
    org_closure="application__route_nodes__organization",
    owner="application__applicant",
    committee="application__committee",
)
class Attachment(models.Model):
    """电子档案: one uploaded file (PDF/JPG/PNG, checked by content, ≤ 20 MB)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    category = models.CharField("材料类别", max_length=32, choices=AttachmentCategory.choices)
    file = models.FileField(
        "文件", upload_to=attachment_path, storage=private_storage, max_length=300
    )
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["category", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


# Applicant data changes are logged by auditlog; workflow fields are covered by ReviewRecord.
auditlog.register(
    Application,
    include_fields=[
        "acquisition_method",
        "title",
        "specialty",
        "employer",
        "acceptance_office",
        "committee",
        "education",
        "school",
        "major",
        "graduation_date",
        "work_start_date",
        "current_title_name",
        "current_title_date",
        "out_of_province",
        "origin_province",
        "origin_certificate_number",
    ],
)
