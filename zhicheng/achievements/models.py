"""个人业绩库 (an applicant's achievement library) and the 申报材料清单 (material completeness
checklist).

- ``Achievement``: one entry of the library, kept once on the ``Person`` — 学历, 工作经历, 论文,
  专利, 获奖, 项目, 继续教育学时 — with its proof files (``AchievementProof``, checked by content
  like the 电子档案). A 论文/专利/获奖/项目 may be marked 代表作.
- ``ApplicationAchievement``: an entry ticked into one application (the link table
  application ↔ achievement). Officers see the ticked entries and their proofs on the
  application; what is not ticked stays private to the applicant.
- ``MaterialChecklist`` / ``ChecklistItem``: per 职称级别 and 取得方式, the material an HR bureau
  requires before an application of its subtree may be submitted (e.g. 学历证书, 身份证, 现职称证书,
  业绩材料, 继续教育证明 with hours ≥ N). An item references an 电子档案 category
  (``applications.AttachmentCategory``) or an achievement kind.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhicheng.applications.models import AttachmentCategory, Education
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.models import Authored, Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.storage import private_storage


class AchievementKind(models.TextChoices):
    EDUCATION = "education", "学历"
    WORK = "work", "工作经历"
    PAPER = "paper", "论文"
    PATENT = "patent", "专利"
    AWARD = "award", "获奖"
    PROJECT = "project", "项目"
    CONTINUING_EDUCATION = "continuing_education", "继续教育"


# Kinds whose entry may be a 代表作 (representative work).
REPRESENTATIVE_KINDS = frozenset(
    {AchievementKind.PAPER, AchievementKind.PATENT, AchievementKind.AWARD, AchievementKind.PROJECT}
)

# What the generic columns mean for each kind (form labels and help).
KIND_LABELS: dict[str, dict[str, str]] = {
    AchievementKind.EDUCATION: {"name": "毕业院校", "issuer": "学位", "role": "所学专业"},
    AchievementKind.WORK: {"name": "工作单位", "issuer": "部门", "role": "岗位/职务"},
    AchievementKind.PAPER: {"name": "论文题目", "issuer": "刊物名称", "role": "作者排名"},
    AchievementKind.PATENT: {"name": "专利名称", "issuer": "专利号", "role": "发明人排名"},
    AchievementKind.AWARD: {"name": "奖项名称", "issuer": "授奖单位", "role": "获奖等级/排名"},
    AchievementKind.PROJECT: {"name": "项目名称", "issuer": "项目来源", "role": "本人角色"},
    AchievementKind.CONTINUING_EDUCATION: {
        "name": "培训/学习名称",
        "issuer": "培训机构",
        "role": "科目类别",
    },
}


@scope_rule(owner="person__user")
class Achievement(Timestamped):
    """One entry of the 个人业绩库. ``start_date`` is 开始/取得/发表时间; ``end_date`` 结束/毕业
    时间 (empty: 至今); ``hours`` the 学时 of a 继续教育 entry."""

    person = models.ForeignKey(
        "persons.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField("类别", max_length=32, choices=AchievementKind.choices)
    name = models.CharField("名称", max_length=200)
    issuer = models.CharField("单位/刊物/来源", max_length=200, blank=True)
    role = models.CharField("专业/岗位/排名", max_length=100, blank=True)
    education = models.CharField("学历", max_length=32, choices=Education.choices, blank=True)
    start_date = models.DateField("时间")
    end_date = models.DateField("结束时间", null=True, blank=True)
    hours = models.PositiveIntegerField("学时", null=True, blank=True)
    is_representative = models.BooleanField("代表作", default=False)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "个人业绩"
        verbose_name_plural = "个人业绩库"
        ordering = ("kind", "-start_date", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="achievement_end_not_before_start",
                violation_error_message="结束时间不能早于开始时间",
            )
        ]
        indexes = [models.Index(fields=["person", "kind"], name="achievement_person_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def period_display(self) -> str:
        start = f"{self.start_date:%Y-%m-%d}"
        if self.kind in (AchievementKind.WORK, AchievementKind.EDUCATION, AchievementKind.PROJECT):
            end = f"{self.end_date:%Y-%m-%d}" if self.end_date else "至今"
            return f"{start} 至 {end}"
        return start


def proof_path(instance: AchievementProof, filename: str) -> str:
    # Never the uploader's name in the path: a random name with the detected extension.
    return f"achievements/{instance.achievement_id}/{instance.stored_name}"


@scope_rule(owner="achievement__person__user")
class AchievementProof(models.Model):
    """证明材料 of one achievement (PDF/JPG/PNG, checked by content, ≤ 20 MB)."""

    achievement = models.ForeignKey(
        Achievement, verbose_name="业绩", on_delete=models.CASCADE, related_name="proofs"
    )
    file = models.FileField("文件", upload_to=proof_path, storage=private_storage, max_length=300)
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
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ("uploaded_at", "pk")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ApplicationAchievement(models.Model):
    """An achievement ticked into an application (勾选入本次申报)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="职称申报",
        on_delete=models.CASCADE,
        related_name="achievement_links",
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name="业绩",
        on_delete=models.PROTECT,
        related_name="application_links",
    )
    ticked_at = models.DateTimeField("勾选时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报业绩"
        verbose_name_plural = "申报业绩"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "achievement"], name="application_achievement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.achievement_id}"


class ItemSource(models.TextChoices):
    ATTACHMENT = "attachment", "电子档案"
    ACHIEVEMENT = "achievement", "个人业绩"


CHECKLIST_METHODS = (
    AcquisitionMethod.INITIAL,
    AcquisitionMethod.RECOGNITION,
    AcquisitionMethod.EVALUATION,
)


@scope_rule(org_path="organization__path")
class MaterialChecklist(Authored, Timestamped):
    """申报材料清单 of one bureau for one 职称级别 and 取得方式; it applies to the applications
    whose employer lies in the bureau's subtree (a city's and the province's lists add up)."""

    name = models.CharField("清单名称", max_length=100)
    level = models.CharField("职称级别", max_length=16, choices=TitleLevel.choices)
    acquisition_method = models.CharField(
        "取得方式", max_length=32, choices=[(m.value, m.label) for m in CHECKLIST_METHODS]
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="制定单位",
        on_delete=models.PROTECT,
        related_name="material_checklists",
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "申报材料清单"
        verbose_name_plural = "申报材料清单"
        ordering = ("level", "acquisition_method", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "level", "acquisition_method"],
                name="checklist_one_per_org_level_method",
                violation_error_message="本单位已有该职称级别和取得方式的材料清单",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One required material: an 电子档案 category (at least ``min_count`` files) or an
    achievement kind (at least ``min_count`` ticked entries, each with a proof; for 继续教育 the
    ticked hours adding up to at least ``min_hours``)."""

    checklist = models.ForeignKey(
        MaterialChecklist, verbose_name="清单", on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField("材料名称", max_length=100)
    source = models.CharField("材料来源", max_length=16, choices=ItemSource.choices)
    # Kept without choices on purpose: a category removed from the code later is reported by
    # name ("已删除") instead of breaking the checklist page.
    attachment_category = models.CharField("电子档案类别", max_length=32, blank=True)
    achievement_kind = models.CharField("业绩类别", max_length=32, blank=True)
    min_count = models.PositiveSmallIntegerField("最少数量", default=1)
    min_hours = models.PositiveIntegerField("最少学时", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "清单材料"
        verbose_name_plural = "清单材料"
        ordering = ("sort_order", "pk")

    def __str__(self) -> str:
        return self.name

    @property
    def reference_display(self) -> str:
        if self.source == ItemSource.ATTACHMENT:
            code = self.attachment_category
            label = (
                AttachmentCategory(code).label
                if code in AttachmentCategory.values
                else f"{code}（已删除）"
            )
            return f"电子档案：{label}"
        code = self.achievement_kind
        label = (
            AchievementKind(code).label if code in AchievementKind.values else f"{code}（已删除）"
        )
        return f"个人业绩：{label}"

    @property
    def requirement_display(self) -> str:
        parts = [f"至少 {self.min_count} 项"] if self.min_count > 1 else []
        if self.min_hours:
            parts.append(f"学时不少于 {self.min_hours}")
        return "，".join(parts)


auditlog.register(Achievement)
auditlog.register(MaterialChecklist)
auditlog.register(ChecklistItem)
