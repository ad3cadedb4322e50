"""/api/v1/applications/ (guide 1.12, 1.24), on the same services as the pages.

Applicant (申报人): ``POST /applications/`` (a draft), ``PATCH /applications/<id>/``,
``POST …/<id>/submit/``, ``…/resubmit/``, ``…/withdraw/`` (body ``{"version"}`` optional: the
version you saw; a stale one is refused with "该申报已被处理"), ``GET/POST …/<id>/attachments/``
(multipart ``category`` + ``file``), ``GET/DELETE …/<id>/attachments/<aid>/`` (the file itself,
inline), ``GET /applications/employers/?search=`` (用人单位 typeahead),
``GET /applications/options/?acquisition_method=&title=&specialty=&employer=`` (the acceptance
office with its 申报须知, or the eligible committees).

Reviewers (单位经办 / 人社经办 / 评委会): ``GET /applications/?scope=todo|returned|all&name=&
id_number=&title=&level=&acquisition_method=&year=&status=``, ``POST …/<id>/approve/``
``{"opinion", "version"}``, ``…/return/`` ``{"opinion", "reasons": [...], "version"}``,
``…/return-for-supplement/``, ``POST /applications/batch-approve/``
``{"items": [{"id", "version"}], "opinion"}``, ``GET /applications/export/?<filters>``.

Everyone in scope: ``GET …/<id>/`` and ``GET …/<id>/timeline/`` (officer names hidden from
applicants). Out of scope is 404, like a missing id.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title, TitleLevel
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError
from zhicheng.routing.notice import notice_html
from zhicheng.routing.selectors import acceptance_office_for
from zhicheng.tabular.api import TabularActionsMixin

from . import selectors, services
from .models import (
    APPLICATION_METHODS,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentCategory,
    Education,
    ReturnReason,
    ReviewRecord,
)

ID_MAX = 2**63 - 1  # BigAutoField; larger numbers would overflow the database driver
VIEW = "applications.view_application"
APPLY = "applications.apply_application"
REVIEW = "applications.review_application"


# --- serializers ----------------------------------------------------------------------------


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
    category_display = serializers.CharField(source="get_category_display", read_only=True)
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
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    acquisition_method_display = serializers.CharField(
        source="get_acquisition_method_display", read_only=True
    )
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    committee_name = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
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
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_id_number(self, obj: Application) -> str:
        return obj.person.id_number_for(self._user())

    def get_committee_name(self, obj: Application) -> str | None:
        return obj.committee.name if obj.committee_id else None

    def get_current_organization_name(self, obj: Application) -> str | None:
        return obj.current_organization.name if obj.current_organization_id else None

    def get_returned_from_name(self, obj: Application) -> str | None:
        return obj.returned_from.name if obj.returned_from_id else None


class ApplicationDetailSerializer(ApplicationListSerializer):
    education_display = serializers.CharField(source="get_education_display", read_only=True)
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
            "notice_acknowledged_at",
            "integrity_pledged_at",
            "route_position",
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
    work_experiences = WorkExperienceSerializer(many=True, required=False)
    version = serializers.IntegerField(
        label="版本", required=False, allow_null=True, min_value=0, max_value=2**31 - 1
    )

    def validate_employer(self, value: int):
        employer = selectors.employer_get(value)
        if employer is None:
            raise serializers.ValidationError("用人单位不存在或已注销")
        return employer


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        label="版本（页面上看到的）",
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=2**31 - 1,
    )


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


class BatchItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1
    )


class BatchApproveSerializer(serializers.Serializer):
    items = BatchItemSerializer(many=True, label="勾选的申报")
    opinion = serializers.CharField(
        label="审核意见", max_length=2000, required=False, allow_blank=True, default=""
    )


class AttachmentUploadSerializer(serializers.Serializer):
    category = serializers.ChoiceField(label="材料类别", choices=AttachmentCategory.choices)
    file = serializers.FileField(label="文件（PDF/JPG/PNG，≤20MB）")


class TimelineSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)
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


class FilterSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        label="范围", choices=selectors.Scope.CHOICES, required=False, allow_blank=True
    )
    name = serializers.CharField(required=False, allow_blank=True)
    id_number = serializers.CharField(required=False, allow_blank=True)
    title = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    level = serializers.ChoiceField(choices=TitleLevel.choices, required=False, allow_blank=True)
    acquisition_method = serializers.ChoiceField(
        choices=AcquisitionMethod.choices, required=False, allow_blank=True
    )
    year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, required=False, allow_blank=True
    )


def list_filters(query_params) -> dict:
    serializer = FilterSerializer(data=query_params)
    serializer.is_valid(raise_exception=True)
    filters = {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
    filters.setdefault("scope", selectors.Scope.ALL)
    return filters


# --- permissions ----------------------------------------------------------------------------


class ApplicationPermissions(BasePermission):
    """Reading needs view (reviewers) or apply (applicants, their own); the applicant's writes
    need apply; approvals need review. Finer checks (whose turn, whose application) are the
    services'."""

    action_perms = {
        "list": (VIEW, APPLY),
        "retrieve": (VIEW, APPLY),
        "timeline": (VIEW, APPLY),
        "attachments": (VIEW, APPLY),
        "attachment_file": (VIEW, APPLY),
        "export_file": (VIEW,),
        "create": (APPLY,),
        "partial_update": (APPLY,),
        "submit": (APPLY,),
        "resubmit": (APPLY,),
        "withdraw": (APPLY,),
        "employers": (APPLY,),
        "options": (APPLY,),
        "approve": (REVIEW,),
        "return_": (REVIEW,),
        "return_for_supplement": (REVIEW,),
        "batch_approve": (REVIEW,),
    }

    def has_permission(self, request, view) -> bool:
        perms = self.action_perms.get(view.action)
        user = request.user
        return bool(
            perms and user and user.is_authenticated and any(user.has_perm(p) for p in perms)
        )


# --- the viewset ----------------------------------------------------------------------------


class ApplicationViewSet(
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [ApplicationPermissions]
    serializer_class = ApplicationListSerializer
    queryset = Application.objects.none()
    export_key = "applications"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if user.is_applicant:
            return selectors.applications_of_applicant(user=user)
        return selectors.application_list(user=user, **list_filters(self.request.query_params))

    def get_object(self) -> Application:
        return selectors.application_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationListSerializer
        return ApplicationDetailSerializer

    def _detail(self, app: Application, code: int = status.HTTP_200_OK) -> Response:
        app = selectors.application_get(user=self.request.user, pk=app.pk)
        return Response(
            ApplicationDetailSerializer(app, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        summary="查询职称申报",
        parameters=[FilterSerializer],
        responses=ApplicationListSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="新建申报（草稿）",
        request=ApplicationWriteSerializer,
        responses={201: ApplicationDetailSerializer},
    )
    def create(self, request):
        serializer = ApplicationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        app = services.application_create(actor=request.user, **data)
        return self._detail(app, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改申报（草稿或被退回的申报）",
        request=ApplicationWriteSerializer,
        responses=ApplicationDetailSerializer,
    )
    def partial_update(self, request, pk=None):
        app = self.get_object()
        serializer = ApplicationWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        app = services.application_update(
            actor=request.user, application=app, expected_version=version, **data
        )
        return self._detail(app)

    def _applicant_action(self, request, service):
        app = self.get_object()
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app = service(
            actor=request.user,
            application=app,
            expected_version=serializer.validated_data["version"],
        )
        return self._detail(app)

    @extend_schema(
        summary="提交申报", request=VersionSerializer, responses=ApplicationDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._applicant_action(request, services.application_submit)

    @extend_schema(
        summary="重新提交（被退回后）",
        request=VersionSerializer,
        responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._applicant_action(request, services.application_resubmit)

    @extend_schema(
        summary="撤回申报", request=VersionSerializer, responses=ApplicationDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._applicant_action(request, services.application_withdraw)

    @extend_schema(
        summary="审核通过", request=ApproveSerializer, responses=ApplicationDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        app = self.get_object()
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.application_approve(
            actor=request.user,
            application=app,
            opinion=data["opinion"],
            expected_version=data["version"],
        )
        payload = self._detail(outcome.application).data
        return Response({**payload, "message": outcome.message})

    def _return(self, request, service):
        app = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        app = service(
            actor=request.user,
            application=app,
            opinion=data["opinion"],
            reasons=data["reasons"],
            expected_version=data["version"],
        )
        return self._detail(app)

    @extend_schema(
        summary="审核不通过退回（退回下一级，用人单位退回申报人）",
        request=ReturnSerializer,
        responses=ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._return(request, services.application_return)

    @extend_schema(
        summary="退回补充材料（将上级的退回继续退回下一级）",
        request=ReturnSerializer,
        responses=ApplicationDetailSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return-for-supplement",
        url_name="return-for-supplement",
    )
    def return_for_supplement(self, request, pk=None):
        return self._return(request, services.application_return_for_supplement)

    @extend_schema(summary="批量审核通过", request=BatchApproveSerializer)
    @action(detail=False, methods=["post"], url_path="batch-approve", url_name="batch-approve")
    def batch_approve(self, request):
        serializer = BatchApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.application_batch_approve(
            actor=request.user,
            items=[(item["id"], item["version"]) for item in data["items"]],
            opinion=data["opinion"],
        )
        return Response(
            {
                "approved": [app.pk for app in outcome.approved],
                "refused": [{"id": pk, "reason": reason} for pk, reason in outcome.refused],
                "message": outcome.message,
            }
        )

    @extend_schema(summary="过程跟踪", responses=TimelineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        app = self.get_object()
        records = selectors.application_timeline(application=app)
        return Response(
            {
                "where": services.where_now(app),
                "records": TimelineSerializer(
                    records, many=True, context={"request": request}
                ).data,
            }
        )

    @extend_schema(
        summary="电子档案：列表（GET）或上传（POST multipart：category、file）",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses=AttachmentSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def attachments(self, request, pk=None):
        app = self.get_object()
        if request.method == "POST":
            serializer = AttachmentUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            attachment = services.attachment_add(
                actor=request.user,
                application=app,
                category=serializer.validated_data["category"],
                upload=serializer.validated_data["file"],
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(
            AttachmentSerializer(selectors.attachment_list(application=app), many=True).data
        )

    @extend_schema(
        summary="电子档案：查看文件（GET，内嵌预览）或删除（DELETE）",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-file",
    )
    def attachment_file(self, request, pk=None, attachment_id=None):
        app = self.get_object()
        attachment = selectors.attachment_get(user=request.user, pk=attachment_id)
        if attachment.application_id != app.pk:
            raise ApplicationError("附件不属于该申报")
        if request.method == "DELETE":
            services.attachment_delete(actor=request.user, attachment=attachment)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return attachment_response(attachment)

    @extend_schema(
        summary="用人单位查询（申报时选择，支持名称、统一社会信用代码、拼音首字母）",
        parameters=[OpenApiParameter("search", str)],
    )
    @action(detail=False, methods=["get"])
    def employers(self, request):
        found = selectors.employer_search(search=request.query_params.get("search", ""))
        return Response(
            {
                "results": [
                    {
                        "id": org.pk,
                        "name": org.name,
                        "uscc": org.uscc,
                        "status": org.status,
                        "status_display": org.get_status_display(),
                    }
                    for org in found
                ]
            }
        )

    @extend_schema(
        summary="可选的受理机构（含申报须知）或评委会",
        parameters=[
            OpenApiParameter("acquisition_method", str),
            OpenApiParameter("title", int),
            OpenApiParameter("specialty", int),
            OpenApiParameter("employer", int),
        ],
    )
    @action(detail=False, methods=["get"])
    def options(self, request):
        return Response(application_options(request.query_params))


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file inline (preview in the browser), never sniffed into another type."""
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def application_options(params) -> dict:
    """What the new-application form offers for the choices made so far."""
    method = params.get("acquisition_method", "")
    title = Title.objects.select_related("series").filter(pk=_int(params.get("title"))).first()
    specialty = Specialty.objects.filter(pk=_int(params.get("specialty"))).first()
    employer = selectors.employer_get(params.get("employer"))
    result: dict = {"acceptance_office": None, "committees": []}
    if title is None or method not in APPLICATION_METHODS:
        return result
    if method == AcquisitionMethod.EVALUATION:
        if specialty is not None:
            result["committees"] = [
                {"id": c.pk, "name": c.name, "level_display": c.get_level_display()}
                for c in selectors.eligible_committees(title=title, specialty=specialty)
            ]
    elif employer is not None:
        office = acceptance_office_for(
            employer=employer, level=title.level, acquisition_method=method
        )
        if office is not None:
            result["acceptance_office"] = {
                "id": office.pk,
                "name": office.organization.name,
                "notice": office.notice,
                "notice_html": str(notice_html(office.notice)),
            }
    return result


def _int(value) -> int | None:
    """An id from a query string, or None (not a number, or beyond any id)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= ID_MAX else None


def register(router) -> None:
    router.register("applications", ApplicationViewSet, basename="application")
