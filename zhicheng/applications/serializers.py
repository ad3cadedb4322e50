"""DRF serializers of /api/v1/applications/ (see ``api``)."""

from __future__ import annotations

from rest_framework import serializers

from zhicheng.catalog.models import Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.fields import DisplayField
from zhicheng.common.query import ID_MAX
from zhicheng.persons.services import id_number_in_answer

from . import selectors, services
from .models import (
    APPLICATION_METHODS,
    Application,
    Attachment,
    AttachmentCategory,
    Education,
    ReturnModule,
    ReturnReason,
    ReviewRecord,
)


class WorkExperienceSerializer(serializers.Serializer):
    start_date = serializers.DateField(label="开始时间")
    end_date = serializers.DateField(label="结束时间", required=False, allow_null=True)
    organization_name = serializers.CharField(label="工作单位", max_length=200)
    position = serializers.CharField(
        label="岗位/职务", max_length=100, required=False, allow_blank=True
    )
    description = serializers.CharField(
        label="从事专业技术工作", max_length=500, required=False, allow_blank=True
    )


class AttachmentSerializer(serializers.ModelSerializer):
    category_display = DisplayField(source="get_category_display")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "category",
            "category_display",
            "original_name",
            "content_type",
            "size",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, obj: Attachment) -> str:
        return f"/api/v1/applications/{obj.application_id}/attachments/{obj.pk}/"


class ApplicationListSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField()
    title_name = serializers.CharField(source="title.name", read_only=True)
    level_display = DisplayField(source="get_level_display")
    acquisition_method_display = DisplayField(source="get_acquisition_method_display")
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    committee_name = serializers.SerializerMethodField()
    status_display = DisplayField(source="get_status_display")
    current_organization_name = serializers.SerializerMethodField()
    returned_from_name = serializers.SerializerMethodField()
    is_blacklisted = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Application
        fields = [
            "id",
            "person_name",
            "id_number",
            "year",
            "acquisition_method",
            "acquisition_method_display",
            "title",
            "title_name",
            "level",
            "level_display",
            "specialty",
            "specialty_name",
            "employer",
            "employer_name",
            "committee",
            "committee_name",
            "status",
            "status_display",
            "current_organization",
            "current_organization_name",
            "returned_from_name",
            "is_blacklisted",
            "version",
            "submitted_at",
            "decided_at",
            "acceptance_number",
            "correction_deadline",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_id_number(self, obj: Application) -> str:
        return id_number_in_answer(context=self.context, person=obj.person)

    def get_committee_name(self, obj: Application) -> str | None:
        return obj.committee.name if obj.committee_id else None

    def get_current_organization_name(self, obj: Application) -> str | None:
        return obj.current_organization.name if obj.current_organization_id else None

    def get_returned_from_name(self, obj: Application) -> str | None:
        return obj.returned_from.name if obj.returned_from_id else None


class ApplicationDetailSerializer(ApplicationListSerializer):
    education_display = DisplayField(source="get_education_display")
    acceptance_office_name = serializers.SerializerMethodField()
    work_experiences = WorkExperienceSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    route = serializers.SerializerMethodField()
    can_review = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "acceptance_office",
            "acceptance_office_name",
            "route_kind",
            "education",
            "education_display",
            "school",
            "major",
            "graduation_date",
            "work_start_date",
            "current_title_name",
            "current_title_date",
            "out_of_province",
            "origin_province",
            "origin_certificate_number",
            "notice_acknowledged_at",
            "integrity_pledged_at",
            "route_position",
            "return_modules",
            "route",
            "work_experiences",
            "attachments",
            "can_review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_acceptance_office_name(self, obj: Application) -> str | None:
        return obj.acceptance_office.organization.name if obj.acceptance_office_id else None

    def get_route(self, obj: Application) -> list[dict]:
        return [
            {"id": org.pk, "name": org.name, "position": i}
            for i, org in enumerate(selectors.route_organizations(obj))
        ]

    def get_can_review(self, obj: Application) -> bool:
        return services.can_review(self._user(), obj)


class ApplicationWriteSerializer(serializers.Serializer):
    acquisition_method = serializers.ChoiceField(
        label="取得方式", choices=[(m.value, m.label) for m in APPLICATION_METHODS]
    )
    title = serializers.PrimaryKeyRelatedField(label="申报职称", queryset=Title.objects.all())
    specialty = serializers.PrimaryKeyRelatedField(
        label="申报专业", queryset=Specialty.objects.all()
    )
    employer = serializers.IntegerField(label="用人单位", min_value=1, max_value=ID_MAX)
    committee = serializers.PrimaryKeyRelatedField(
        label="评委会", queryset=Committee.objects.all(), required=False, allow_null=True
    )
    year = serializers.IntegerField(
        label="申报年度", required=False, min_value=2000, max_value=2100
    )
    notice_acknowledged = serializers.BooleanField(label="已阅读申报须知", required=False)
    integrity_pledged = serializers.BooleanField(label="诚信承诺", required=False)
    education = serializers.ChoiceField(
        label="学历", choices=Education.choices, required=False, allow_blank=True
    )
    school = serializers.CharField(
        label="毕业院校", max_length=100, required=False, allow_blank=True
    )
    major = serializers.CharField(
        label="所学专业", max_length=100, required=False, allow_blank=True
    )
    graduation_date = serializers.DateField(label="毕业时间", required=False, allow_null=True)
    work_start_date = serializers.DateField(label="参加工作时间", required=False, allow_null=True)
    current_title_name = serializers.CharField(
        label="现职称", max_length=50, required=False, allow_blank=True
    )
    current_title_date = serializers.DateField(
        label="现职称取得时间", required=False, allow_null=True
    )
    out_of_province = serializers.BooleanField(label="省外资格确认（按认定办理）", required=False)
    origin_province = serializers.CharField(
        label="原取得省份", max_length=20, required=False, allow_blank=True
    )
    origin_certificate_number = serializers.CharField(
        label="原证书编号", max_length=50, required=False, allow_blank=True
    )
    work_experiences = WorkExperienceSerializer(many=True, required=False)
    version = serializers.IntegerField(
        label="版本", required=False, allow_null=True, min_value=0, max_value=2**31 - 1
    )

    def validate_employer(self, value: int):
        employer = selectors.employer_get(value)
        if employer is None:
            raise serializers.ValidationError("用人单位不存在或已注销")
        return employer


class ReviewResultSerializer(serializers.Serializer):
    """What a review action (审核通过 / 退回 / 退回补充材料) answers: where the application is
    now and the message the page shows. The whole application is ``GET …/<id>/``."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = DisplayField(source="get_status_display")
    version = serializers.IntegerField(read_only=True)
    current_organization = serializers.IntegerField(
        source="current_organization_id", read_only=True, allow_null=True
    )
    current_organization_name = serializers.CharField(
        source="current_organization.name", read_only=True, default=None, allow_null=True
    )
    returned_from_name = serializers.CharField(
        source="returned_from.name", read_only=True, default=None, allow_null=True
    )
    acceptance_number = serializers.CharField(read_only=True, allow_null=True)
    return_modules = serializers.ListField(child=serializers.CharField(), read_only=True)
    correction_deadline = serializers.DateField(read_only=True, allow_null=True)
    where = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    def get_where(self, obj: Application) -> str:
        return services.where_now(obj)

    def get_message(self, obj: Application) -> str:
        return self.context.get("message", "")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        label="版本（页面上看到的）",
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=2**31 - 1,
    )


class ApplicationUpdateSerializer(ApplicationWriteSerializer):
    """修改申报: the same fields but the 申报年度, fixed when the application is created."""

    year = None


class OptionsQuerySerializer(serializers.Serializer):
    """The query of ``GET /applications/options/``: each value as the form would send it."""

    acquisition_method = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in APPLICATION_METHODS], required=False, allow_blank=True
    )
    title = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    specialty = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    employer = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)


class ApproveSerializer(VersionSerializer):
    opinion = serializers.CharField(
        label="审核意见", max_length=2000, required=False, allow_blank=True, default=""
    )


class ReturnSerializer(ApproveSerializer):
    reasons = serializers.ListField(
        label="退回原因",
        child=serializers.ChoiceField(choices=ReturnReason.choices),
        required=False,
        default=list,
    )
    modules = serializers.ListField(
        label="补正模块（申报人只能修改这些模块；不填为全部）",
        child=serializers.ChoiceField(choices=ReturnModule.choices),
        required=False,
        default=list,
    )
    deadline_workdays = serializers.IntegerField(
        label="补正期限（工作日，自次日起算；不填为10个工作日）",
        min_value=1,
        max_value=60,
        required=False,
        allow_null=True,
        default=None,
    )
    deadline = serializers.DateField(
        label="补正截止日期（晚于今天；填写后以此为准）",
        required=False,
        allow_null=True,
        default=None,
    )


class BatchItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1
    )


class BatchApproveSerializer(serializers.Serializer):
    items = BatchItemSerializer(
        many=True, allow_empty=False, max_length=services.BATCH_LIMIT, label="勾选的申报"
    )
    opinion = serializers.CharField(
        label="审核意见", max_length=2000, required=False, allow_blank=True, default=""
    )


class BatchRefusedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class BatchApproveResultSerializer(serializers.Serializer):
    """What 批量审核通过 answers: the ids approved, those refused with the reason, a message."""

    approved = serializers.ListField(child=serializers.IntegerField())
    refused = BatchRefusedSerializer(many=True)
    message = serializers.CharField()


class AttachmentUploadSerializer(serializers.Serializer):
    category = serializers.ChoiceField(label="材料类别", choices=AttachmentCategory.choices)
    file = serializers.FileField(label="文件（PDF/JPG/PNG，≤20MB）")


class TimelineSerializer(serializers.ModelSerializer):
    action_display = DisplayField(source="get_action_display")
    organization_name = serializers.SerializerMethodField()
    to_organization_name = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField()
    reason_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ReviewRecord
        fields = [
            "id",
            "action",
            "action_display",
            "organization_name",
            "actor_name",
            "opinion",
            "reasons",
            "reason_labels",
            "modules",
            "deadline_workdays",
            "deadline",
            "acceptance_number",
            "to_organization_name",
            "from_status",
            "to_status",
            "created_at",
        ]
        read_only_fields = fields

    def get_organization_name(self, obj: ReviewRecord) -> str:
        return obj.organization.name if obj.organization_id else "申报人"

    def get_to_organization_name(self, obj: ReviewRecord) -> str | None:
        return obj.to_organization.name if obj.to_organization_id else None

    def get_actor_name(self, obj: ReviewRecord) -> str | None:
        """Officer names are hidden from applicants (their own steps show as 本人)."""
        user = self.context["request"].user
        if user.is_applicant:
            return "本人" if obj.actor_id == user.pk else None
        return obj.actor_name
