"""/api/v1/applications/ (guide 1.12, 1.24), on the same services as the pages.

Applicant (申报人): ``POST /applications/`` (a draft), ``PATCH /applications/<id>/``,
``POST …/<id>/submit/``, ``…/resubmit/``, ``…/withdraw/`` (body ``{"version"}`` optional: the
version you saw; a stale one is refused with "该申报已被处理"), ``GET/POST …/<id>/attachments/``
(multipart ``category`` + ``file``), ``GET/DELETE …/<id>/attachments/<aid>/`` (the file itself,
inline), ``GET /applications/employers/?search=`` (用人单位 typeahead),
``GET /applications/options/?acquisition_method=&title=&specialty=&employer=`` (the acceptance
office with its 申报须知, or the eligible committees). 省外资格确认: ``acquisition_method``
"recognition" with ``out_of_province`` true, ``origin_province``, ``origin_certificate_number``
and an attachment of category ``out_of_province_certificate`` before submitting.

Reviewers (单位经办 / 人社经办 / 评委会): ``GET /applications/?scope=todo|returned|all&name=&
id_number=&title=&level=&acquisition_method=&year=&status=``, ``POST …/<id>/approve/``
``{"opinion", "version"}``, ``…/return/`` ``{"opinion", "reasons": [...], "modules": [...],
"deadline_workdays" | "deadline", "version"}`` (退回补正: only the named modules stay editable),
``…/return-for-supplement/``, ``POST /applications/batch-approve/``
``{"items": [{"id", "version"}], "opinion"}``, ``GET /applications/export/?<filters>``.

Everyone in scope: ``GET …/<id>/`` and ``GET …/<id>/timeline/`` (officer names hidden from
applicants). Out of scope is 404, like a missing id.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.common.api import query_values
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.listing import api_parameters
from zhicheng.common.scoping import id_or_404
from zhicheng.tabular.api import TabularActionsMixin

from . import selectors, services
from .listings import APPLICATIONS
from .models import Application, ReviewAction
from .serializers import (
    ApplicationDetailSerializer,
    ApplicationListSerializer,
    ApplicationUpdateSerializer,
    ApplicationWriteSerializer,
    ApproveSerializer,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    BatchApproveResultSerializer,
    BatchApproveSerializer,
    OptionsQuerySerializer,
    ReturnSerializer,
    ReviewResultSerializer,
    TimelineSerializer,
    VersionSerializer,
)

VIEW = "applications.view_application"
APPLY = "applications.apply_application"
REVIEW = "applications.review_application"


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
    export_key = APPLICATIONS.name
    listing = APPLICATIONS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        # a bad filter is 400 for everyone
        filters = APPLICATIONS.filters_from(self.request.query_params, strict=True)
        if user.is_applicant:
            return selectors.applications_of_applicant(user=user)
        return APPLICATIONS.queryset(user, filters)

    def get_object(self) -> Application:
        return selectors.application_detail(user=self.request.user, pk=self.kwargs["pk"])

    def _visible_id(self) -> int:
        """The id in the URL once the caller may see it (404 otherwise), for what needs no
        more of the application: a write, whose service locks and reads the row itself, so the
        read of ``get_object`` would be thrown away (it was a third of a draft save's time),
        and the attachments, read by the application's id."""
        return selectors.application_id_visible(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationListSerializer
        return ApplicationDetailSerializer

    def _detail(self, app: Application, code: int = status.HTTP_200_OK) -> Response:
        app = selectors.application_detail(user=self.request.user, pk=app.pk)
        return Response(
            ApplicationDetailSerializer(app, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        summary="查询职称申报",
        parameters=api_parameters(APPLICATIONS),
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
        request=ApplicationUpdateSerializer,
        responses=ApplicationDetailSerializer,
    )
    def partial_update(self, request, pk=None):
        app = self._visible_id()
        serializer = ApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        app = services.application_update(
            actor=request.user, application=app, expected_version=version, **data
        )
        return self._detail(app)

    def _applicant_action(self, request, service):
        app = self._visible_id()
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

    @extend_schema(summary="审核通过", request=ApproveSerializer, responses=ReviewResultSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        def step(app_id: int) -> Response:
            serializer = ApproveSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            outcome = services.application_approve(
                actor=request.user,
                application=app_id,
                opinion=data["opinion"],
                expected_version=data["version"],
            )
            return self._review_result(outcome.application, outcome.message)

        return self._review_step(request, step)

    def _review_step(self, request, step) -> Response:
        """A review action on the id in the URL. The service locks and checks the row itself,
        so scope is asked only when something is refused: an application out of scope answers
        404, like a missing one, never the reason (which would tell where it is)."""
        app_id = id_or_404(self.kwargs["pk"])
        try:
            return step(app_id)
        except (ApplicationError, DjangoPermissionDenied, ValidationError):
            selectors.application_id_visible(user=request.user, pk=app_id)
            raise

    def _review_result(self, app: Application, message: str) -> Response:
        return Response(ReviewResultSerializer(app, context={"message": message}).data)

    def _return(self, request, service, action: str):
        def step(app_id: int) -> Response:
            serializer = ReturnSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            app = service(
                actor=request.user,
                application=app_id,
                opinion=data["opinion"],
                reasons=data["reasons"],
                expected_version=data["version"],
                modules=data["modules"],
                deadline=data["deadline"],
                deadline_workdays=data["deadline_workdays"],
            )
            return self._review_result(app, services.returned_message(app, action))

        return self._review_step(request, step)

    @extend_schema(
        summary="审核不通过退回（退回下一级，用人单位退回申报人）",
        request=ReturnSerializer,
        responses=ReviewResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._return(request, services.application_return, ReviewAction.RETURN)

    @extend_schema(
        summary="退回补充材料（将上级的退回继续退回下一级）",
        request=ReturnSerializer,
        responses=ReviewResultSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return-for-supplement",
        url_name="return-for-supplement",
    )
    def return_for_supplement(self, request, pk=None):
        return self._return(
            request,
            services.application_return_for_supplement,
            ReviewAction.RETURN_FOR_SUPPLEMENT,
        )

    @extend_schema(
        summary="批量审核通过",
        request=BatchApproveSerializer,
        responses=BatchApproveResultSerializer,
    )
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

    @extend_schema(
        summary="过程跟踪",
        responses=inline_serializer(
            "ApplicationTimeline",
            {
                "where": drf_serializers.CharField(help_text="当前所处环节"),
                "records": TimelineSerializer(many=True),
            },
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        app = selectors.application_get(user=request.user, pk=self.kwargs["pk"])
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
        methods=["GET"],
        summary="电子档案：列表",
        responses=AttachmentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="电子档案：上传（multipart：category、file）",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
    )
    def attachments(self, request, pk=None):
        # Neither the list nor the upload reads the application: its id, once visible.
        app_id = self._visible_id()
        if request.method == "POST":
            serializer = AttachmentUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            attachment = services.attachment_add(
                actor=request.user,
                application=app_id,
                category=serializer.validated_data["category"],
                upload=serializer.validated_data["file"],
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(
            AttachmentSerializer(
                selectors.attachment_list_of(application_id=app_id), many=True
            ).data
        )

    @extend_schema(
        methods=["GET"],
        summary="电子档案：查看文件（内嵌预览）",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    @extend_schema(methods=["DELETE"], summary="电子档案：删除", responses={204: None})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-file",
    )
    def attachment_file(self, request, pk=None, attachment_id=None):
        app_id = self._visible_id()
        attachment = selectors.attachment_get(user=request.user, pk=attachment_id)
        if attachment.application_id != app_id:
            raise NotFound("该申报没有这份附件")
        if request.method == "DELETE":
            services.attachment_delete(actor=request.user, attachment=attachment)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return attachment_response(attachment)

    @extend_schema(
        summary="用人单位查询（申报时选择，支持名称、统一社会信用代码、拼音首字母）",
        parameters=[OpenApiParameter("search", str)],
        responses=inline_serializer(
            "EmployerResults",
            {
                "results": inline_serializer(
                    "Employer",
                    {
                        "id": drf_serializers.IntegerField(),
                        "name": drf_serializers.CharField(),
                        "uscc": drf_serializers.CharField(),
                        "status": drf_serializers.CharField(),
                        "status_display": drf_serializers.CharField(),
                    },
                    many=True,
                )
            },
        ),
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
        parameters=[OptionsQuerySerializer],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def options(self, request):
        query_values(OptionsQuerySerializer, request.query_params)  # bad values: 400
        return Response(selectors.application_options(request.query_params))


def register(router) -> None:
    router.register("applications", ApplicationViewSet, basename="application")
