"""/api/v1/ for the 个人业绩库 and the 申报材料清单 — thin: selectors read (scoped), services
write.

- ``achievements`` (the applicant's own library): ``GET`` list (``?kind=``, ``?name=``,
  ``?representative=``) and ``<id>/``; ``POST`` 新增; ``PATCH``/``PUT`` 修改; ``DELETE`` 删除;
  ``POST <id>/proofs/`` 上传证明材料 (multipart ``file``); ``GET``/``DELETE
  <id>/proofs/<proof id>/`` the file itself / 删除.
- ``application-materials/<application id>/``: the entries ticked into an application with
  their proofs and its 申报材料清单 with ticks (whoever may open the application; another's
  draft is 404); ``POST …/tick/`` ``{"achievements": [ids]}`` 勾选 (the applicant, while
  editable); ``GET …/proofs/<proof id>/`` a ticked entry's proof.
- ``material-checklists`` (HR officers): list (``?name=``, ``?level=``,
  ``?acquisition_method=``), ``<id>/``, ``export/``; ``POST`` 制定 (with ``items``), ``PATCH``
  修改 (``items`` given replaces them), ``DELETE``; ``POST <id>/items/`` 添加材料, ``DELETE
  <id>/items/<item id>/``. An item naming a category or kind that does not exist is refused
  with a Chinese message naming it; nothing is written.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.response import Response

from zhicheng.applications import selectors as application_selectors
from zhicheng.applications.models import Application, AttachmentCategory, Education
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.fields import DisplayField
from zhicheng.common.files import attachment_response
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.openapi import FILE_RESPONSES
from zhicheng.tabular.api import TabularActionsMixin

from . import selectors, services
from .listings import ACHIEVEMENTS, CHECKLISTS
from .models import (
    CHECKLIST_METHODS,
    Achievement,
    AchievementKind,
    AchievementProof,
    ChecklistItem,
    ItemSource,
    MaterialChecklist,
)

APPLY = "applications.apply_application"


class ApplicantOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(APPLY))


class SignedIn(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)


# --- 个人业绩库 -------------------------------------------------------------------------------


class ProofSerializer(serializers.ModelSerializer):
    class Meta:
        model = AchievementProof
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class AchievementSerializer(serializers.ModelSerializer):
    kind_display = DisplayField(source="get_kind_display")
    period_display = serializers.CharField(read_only=True)
    proofs = ProofSerializer(many=True, read_only=True)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "issuer",
            "role",
            "education",
            "start_date",
            "end_date",
            "period_display",
            "hours",
            "is_representative",
            "note",
            "proofs",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AchievementWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AchievementKind.choices, required=False, label="类别")
    name = serializers.CharField(max_length=200, required=False, label="名称")
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    education = serializers.ChoiceField(
        choices=Education.choices, required=False, allow_blank=True, label="学历（学历类必填）"
    )
    start_date = serializers.DateField(required=False, label="时间")
    end_date = serializers.DateField(required=False, allow_null=True, label="结束时间")
    hours = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True, label="学时（继续教育）"
    )
    is_representative = serializers.BooleanField(required=False, label="代表作")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AchievementCreateSerializer(AchievementWriteSerializer):
    kind = serializers.ChoiceField(choices=AchievementKind.choices, label="类别")
    name = serializers.CharField(max_length=200, label="名称")
    start_date = serializers.DateField(label="时间")


class ProofUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="证明材料（PDF/JPG/PNG，≤20MB）")


class AchievementViewSet(
    ListingViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = ACHIEVEMENTS
    export_key = ""  # the library is the applicant's own: no export
    serializer_class = AchievementSerializer
    permission_classes = [ApplicantOnly]
    queryset = Achievement.objects.none()

    def get_queryset(self):
        return super().get_queryset().prefetch_related("proofs")

    def get_object(self):
        return selectors.achievement_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="新增业绩",
        request=AchievementCreateSerializer,
        responses={201: AchievementSerializer},
    )
    def create(self, request):
        data = AchievementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.achievement_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改业绩", request=AchievementWriteSerializer, responses=AchievementSerializer
    )
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = AchievementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.achievement_update(
            actor=request.user, achievement=entry, **data.validated_data
        )
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        summary="修改业绩", request=AchievementWriteSerializer, responses=AchievementSerializer
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(
        summary="删除业绩（连同证明材料；已勾选入草稿的一并取消）", responses={204: None}
    )
    def destroy(self, request, pk=None):
        services.achievement_delete(actor=request.user, achievement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="上传证明材料（multipart：file）",
        request={"multipart/form-data": ProofUploadSerializer},
        responses={201: ProofSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def proofs(self, request, pk=None):
        entry = self.get_object()
        data = ProofUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proof = services.proof_add(
            actor=request.user, achievement=entry, upload=data.validated_data["file"]
        )
        return Response(ProofSerializer(proof).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="证明材料：查看文件", responses=FILE_RESPONSES)
    @extend_schema(methods=["DELETE"], summary="证明材料：删除", responses={204: None})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"proofs/(?P<proof_id>[0-9]+)",
        url_name="proof-file",
    )
    def proof_file(self, request, pk=None, proof_id=None):
        entry = self.get_object()
        proof = selectors.proof_get_own(user=request.user, pk=proof_id)
        if proof.achievement_id != entry.pk:
            raise Http404("证明材料不存在")
        if request.method == "DELETE":
            services.proof_delete(actor=request.user, proof=proof)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return attachment_response(proof)


# --- 勾选入申报 --------------------------------------------------------------------------------


class CheckRowSerializer(serializers.Serializer):
    name = serializers.CharField(source="item.name")
    reference = serializers.CharField(source="item.reference_display")
    requirement = serializers.CharField(source="item.requirement_display")
    met = serializers.BooleanField()
    detail = serializers.CharField()


class ApplicationMaterialsSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    ticked = AchievementSerializer(many=True)
    checklist = CheckRowSerializer(many=True)
    complete = serializers.BooleanField(help_text="申报材料清单的每一项均已齐全")


class TickSerializer(serializers.Serializer):
    achievements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=500, label="勾选的业绩 id"
    )


class ApplicationMaterialsViewSet(viewsets.GenericViewSet):
    permission_classes = [SignedIn]
    serializer_class = ApplicationMaterialsSerializer
    # The id is an application's (typed for the schema); reads go through its selectors.
    queryset = Application.objects.none()

    def _application(self, request, pk):
        app = application_selectors.application_get(user=request.user, pk=pk)
        if app.status == "draft" and app.applicant_id != request.user.pk:
            raise Http404("记录不存在或无权访问")
        return app

    def _answer(self, app):
        rows = selectors.material_check(app)
        return Response(
            ApplicationMaterialsSerializer(
                {
                    "application": app.pk,
                    "ticked": selectors.application_achievements(application=app),
                    "checklist": rows,
                    "complete": all(row.met for row in rows),
                }
            ).data
        )

    @extend_schema(
        summary="申报业绩与材料清单（勾选的业绩及证明材料、清单逐项是否齐全）",
        responses=ApplicationMaterialsSerializer,
    )
    def retrieve(self, request, pk=None):
        return self._answer(self._application(request, pk))

    @extend_schema(
        summary="勾选本次申报的业绩（替换原有勾选）",
        request=TickSerializer,
        responses=ApplicationMaterialsSerializer,
    )
    @action(detail=True, methods=["post"])
    def tick(self, request, pk=None):
        app = self._application(request, pk)
        data = TickSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_achievements_set(
            actor=request.user, application=app, achievement_ids=data.validated_data["achievements"]
        )
        return self._answer(app)

    @extend_schema(summary="勾选业绩的证明材料：查看文件", responses=FILE_RESPONSES)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"proofs/(?P<proof_id>[0-9]+)",
        url_name="proof-file",
    )
    def proof_file(self, request, pk=None, proof_id=None):
        app = self._application(request, pk)
        return attachment_response(
            selectors.proof_get_for_application(user=request.user, application=app, pk=proof_id)
        )


# --- 申报材料清单 ------------------------------------------------------------------------------


def _category_choice(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=AttachmentCategory.choices,
        error_messages={"invalid_choice": "电子档案类别“{input}”不存在或已删除"},
        **kwargs,
    )


def _kind_choice(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=AchievementKind.choices,
        error_messages={"invalid_choice": "业绩类别“{input}”不存在或已删除"},
        **kwargs,
    )


class ChecklistItemSerializer(serializers.ModelSerializer):
    reference_display = serializers.CharField(read_only=True)
    requirement_display = serializers.CharField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "name",
            "source",
            "attachment_category",
            "achievement_kind",
            "min_count",
            "min_hours",
            "reference_display",
            "requirement_display",
        ]
        read_only_fields = fields


class ChecklistItemWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label="材料名称")
    source = serializers.ChoiceField(choices=ItemSource.choices, label="材料来源")
    attachment_category = _category_choice(
        required=False, allow_blank=True, label="电子档案类别（来源为电子档案时）"
    )
    achievement_kind = _kind_choice(
        required=False, allow_blank=True, label="业绩类别（来源为个人业绩时）"
    )
    min_count = serializers.IntegerField(min_value=1, max_value=50, required=False, default=1)
    min_hours = serializers.IntegerField(
        min_value=1, max_value=10000, required=False, allow_null=True, label="最少学时（继续教育）"
    )


class ChecklistSerializer(serializers.ModelSerializer):
    level_display = DisplayField(source="get_level_display")
    acquisition_method_display = DisplayField(source="get_acquisition_method_display")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = MaterialChecklist
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "acquisition_method",
            "acquisition_method_display",
            "organization",
            "organization_name",
            "note",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


METHOD_CHOICES = [(m.value, m.label) for m in CHECKLIST_METHODS]


class ChecklistWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, label="清单名称")
    level = serializers.ChoiceField(choices=TitleLevel.choices, required=False)
    acquisition_method = serializers.ChoiceField(choices=METHOD_CHOICES, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    items = ChecklistItemWriteSerializer(
        many=True, required=False, label="材料（给出时整体替换）", max_length=30
    )


class ChecklistCreateSerializer(ChecklistWriteSerializer):
    name = serializers.CharField(max_length=100, label="清单名称")
    level = serializers.ChoiceField(choices=TitleLevel.choices, label="职称级别")
    acquisition_method = serializers.ChoiceField(choices=METHOD_CHOICES, label="取得方式")


class ChecklistPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
    }


class MaterialChecklistViewSet(
    ListingViewSetMixin,
    TabularActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    listing = CHECKLISTS
    serializer_class = ChecklistSerializer
    permission_classes = [ChecklistPermissions]
    queryset = MaterialChecklist.objects.none()

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    def get_object(self):
        return selectors.checklist_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary="制定申报材料清单",
        request=ChecklistCreateSerializer,
        responses={201: ChecklistSerializer},
    )
    def create(self, request):
        data = ChecklistCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checklist = services.checklist_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(checklist).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改申报材料清单", request=ChecklistWriteSerializer, responses=ChecklistSerializer
    )
    def partial_update(self, request, pk=None):
        checklist = self.get_object()
        data = ChecklistWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checklist = services.checklist_update(
            actor=request.user, checklist=checklist, **data.validated_data
        )
        return Response(self.get_serializer(checklist).data)

    @extend_schema(
        summary="修改申报材料清单", request=ChecklistWriteSerializer, responses=ChecklistSerializer
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(summary="删除申报材料清单", responses={204: None})
    def destroy(self, request, pk=None):
        services.checklist_delete(actor=request.user, checklist=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="添加材料",
        request=ChecklistItemWriteSerializer,
        responses={201: ChecklistItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        checklist = self.get_object()
        data = ChecklistItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.checklist_item_add(
            actor=request.user, checklist=checklist, **data.validated_data
        )
        return Response(ChecklistItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="删除材料", request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"items/(?P<item_id>[0-9]+)",
        url_name="item-delete",
    )
    def item_delete(self, request, pk=None, item_id=None):
        checklist = self.get_object()
        item = selectors.checklist_item_get(user=request.user, checklist=checklist, pk=item_id)
        services.checklist_item_delete(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    router.register("achievements", AchievementViewSet, basename="achievement")
    router.register(
        "application-materials", ApplicationMaterialsViewSet, basename="application-material"
    )
    router.register("material-checklists", MaterialChecklistViewSet, basename="material-checklist")
