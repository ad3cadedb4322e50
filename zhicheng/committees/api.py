"""/api/v1/committees/ (guide 1.10 / 1.11); the shapes it reads and writes are in serializers.py.

- ``GET /committees/`` (filters: name, account, level, series, approval_number, status,
  validity=valid|expired|not_yet, managed=1), ``GET /committees/<id>/`` — 1.11, read scope.
- ``POST /committees/`` — 1.10 新增; the response carries ``initial_password`` once.
- ``PATCH /committees/<id>/`` — 修改; ``POST /committees/<id>/deregister/`` ``{"reason"}``.
- 其他信息: ``GET|POST /committees/<id>/specialties/`` ``{"specialty"}``,
  ``PATCH|DELETE /committees/<id>/specialties/<link id>/``; the same for ``organizers``
  ``{"organization"}`` and ``fees`` ``{"item", "amount", "note"}``.
- ``POST /committees/<id>/reset-password/`` — a new initial password, returned once.
- ``POST /committees/import/`` (then ``POST /imports/<id>/commit/``) and ``GET /committees/
  export/`` through the shared Excel engine. The accounts an import creates get generated
  passwords, handed to the importer once: ``GET /committees/initial-passwords/`` lists the
  caller's pending files, ``POST /committees/initial-passwords/<id>/claim/`` answers the
  accounts and passwords once and forgets them (24 h at most).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from zhicheng.committees import selectors, services, tabular
from zhicheng.committees.listings import COMMITTEES
from zhicheng.committees.models import (
    Committee,
)
from zhicheng.committees.serializers import (
    CommitteeCreatedSerializer,
    CommitteeDetailSerializer,
    CommitteeOrganizerSerializer,
    CommitteeSerializer,
    CommitteeSpecialtySerializer,
    CommitteeUpdateSerializer,
    CommitteeWriteSerializer,
    DeregisterSerializer,
    FeeInputSerializer,
    FeePatchSerializer,
    FeeStandardSerializer,
    OrganizerInputSerializer,
    SpecialtyInputSerializer,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.openapi import results_of
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization
from zhicheng.tabular.api import TabularActionsMixin

INITIAL_PASSWORD_NOTE = "初始密码仅显示这一次，请妥善转交评委会；首次登录须修改密码。"


VIEW = "committees.view_committee"
ADD = "committees.add_committee"
CHANGE = "committees.change_committee"
DEREGISTER = "committees.deregister_committee"

# The permission each action needs; nested writes (POST/PATCH/DELETE) need ``change``.
ACTION_PERMS = {
    "list": VIEW,
    "retrieve": VIEW,
    "create": ADD,
    "partial_update": CHANGE,
    "update": CHANGE,
    "deregister": DEREGISTER,
    "import_file": ADD,
    "export_file": VIEW,
    "initial_passwords": ADD,
    "initial_password_claim": ADD,
    "reset_password": CHANGE,
}


class CommitteePermission(BasePermission):
    message = "无权执行此操作"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action in ACTION_PERMS:
            needed = ACTION_PERMS[view.action]
        else:  # specialties / organizers / fees and their rows
            needed = VIEW if request.method in ("GET", "HEAD", "OPTIONS") else CHANGE
        return user.has_perm(needed)


def _organization_in_scope(user, pk) -> Organization | None:
    if pk in (None, ""):
        return None
    return scoped(Organization.objects.all(), user).filter(pk=pk).first()


class CommitteeViewSet(ListingViewSetMixin, TabularActionsMixin, viewsets.GenericViewSet):
    """评委会. Lists read the 1.11 scope; writes need a committee the caller's bureau manages."""

    import_key = tabular.IMPORT_KEY
    listing = COMMITTEES

    serializer_class = CommitteeSerializer
    permission_classes = [CommitteePermission]
    queryset = Committee.objects.none()

    # --- reads -------------------------------------------------------------------------------

    def get_object(self) -> Committee:
        return selectors.committee_get(user=self.request.user, pk=self.kwargs["pk"])

    def _managed_object(self) -> Committee:
        try:
            return selectors.committee_get_for_manage(user=self.request.user, pk=self.kwargs["pk"])
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=CommitteeDetailSerializer)
    def retrieve(self, request, pk=None):
        committee = self.get_object()
        data = self.get_serializer(committee).data
        data["specialties"] = CommitteeSpecialtySerializer(
            selectors.committee_specialty_list(committee=committee), many=True
        ).data
        data["organizers"] = CommitteeOrganizerSerializer(
            selectors.committee_organizer_list(committee=committee), many=True
        ).data
        data["fees"] = FeeStandardSerializer(
            selectors.fee_standard_list(committee=committee), many=True
        ).data
        return Response(data)

    # --- 1.10 writes -------------------------------------------------------------------------

    @extend_schema(
        summary="新增评委会（返回一次性初始密码）",
        request=CommitteeWriteSerializer,
        responses={201: CommitteeCreatedSerializer},
    )
    def create(self, request):
        serializer = CommitteeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organization = None
        if data.get("organization"):
            organization = _organization_in_scope(request.user, data["organization"])
            if organization is None:
                raise ApplicationError("管理机构不存在或不在您的管辖范围内")
        committee, password = services.committee_create(
            actor=request.user,
            name=data["name"],
            level=data["level"],
            series=data["series"],
            account_username=data["account"],
            approval_number=data["approval_number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            organization=organization,
        )
        body = self.get_serializer(committee).data
        body["initial_password"] = password
        body["initial_password_note"] = INITIAL_PASSWORD_NOTE
        return Response(body, status=201)

    @extend_schema(summary="修改评委会", request=CommitteeUpdateSerializer)
    def partial_update(self, request, pk=None):
        committee = self._managed_object()
        serializer = CommitteeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        committee = services.committee_update(
            actor=request.user, committee=committee, **serializer.validated_data
        )
        return Response(self.get_serializer(committee).data)

    @extend_schema(summary="修改评委会", request=CommitteeUpdateSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk=pk)

    @extend_schema(summary="注销评委会（停用其账号）", request=DeregisterSerializer)
    @action(detail=True, methods=["post"])
    def deregister(self, request, pk=None):
        committee = self._managed_object()
        serializer = DeregisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        committee = services.committee_deregister(
            actor=request.user, committee=committee, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(committee).data)

    @extend_schema(
        summary="重置评委会账号密码（返回一次性初始密码）",
        request=None,
        responses=inline_serializer(
            "CommitteePasswordReset",
            {
                "account": serializers.CharField(),
                "initial_password": serializers.CharField(),
                "initial_password_note": serializers.CharField(),
            },
        ),
    )
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """重置评委会账号密码: a new initial password, returned once."""
        committee = self._managed_object()
        password = services.committee_account_reset_password(
            actor=request.user, committee=committee
        )
        return Response(
            {
                "account": committee.account.username,
                "initial_password": password,
                "initial_password_note": INITIAL_PASSWORD_NOTE,
            }
        )

    # --- 批量导入的初始密码文件 -------------------------------------------------------------

    @extend_schema(
        summary="待下载的导入初始密码文件",
        responses=inline_serializer(
            "InitialPasswordFiles",
            {
                "results": inline_serializer(
                    "InitialPasswordFile",
                    {
                        "id": serializers.IntegerField(),
                        "account_count": serializers.IntegerField(),
                        "created_at": serializers.DateTimeField(),
                    },
                    many=True,
                )
            },
        ),
    )
    @action(detail=False, methods=["get"], url_path="initial-passwords")
    def initial_passwords(self, request):
        """The caller's initial-password files of committee imports not yet downloaded."""
        pending = selectors.account_handout_pending(user=request.user)
        return Response(
            {
                "results": [
                    {
                        "id": h.pk,
                        "account_count": h.account_count,
                        "created_at": h.created_at,
                    }
                    for h in pending
                ]
            }
        )

    @extend_schema(
        summary="领取导入的初始密码（仅一次）",
        request=None,
        responses=inline_serializer(
            "InitialPasswordClaim",
            {
                "accounts": inline_serializer(
                    "InitialPasswordAccount",
                    {
                        "account": serializers.CharField(),
                        "name": serializers.CharField(),
                        "initial_password": serializers.CharField(),
                    },
                    many=True,
                ),
                "initial_password_note": serializers.CharField(),
            },
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=r"initial-passwords/(?P<handout_id>\d+)/claim",
    )
    def initial_password_claim(self, request, handout_id=None):
        """The accounts and initial passwords of one import — answered once, then forgotten."""
        handout = selectors.account_handout_get(user=request.user, pk=handout_id)
        entries = services.account_handout_claim(actor=request.user, handout=handout)
        return Response(
            {
                "accounts": [
                    {
                        "account": e["account"],
                        "name": e["name"],
                        "initial_password": e["password"],
                    }
                    for e in entries
                ],
                "initial_password_note": INITIAL_PASSWORD_NOTE,
            }
        )

    # --- 其他信息 ----------------------------------------------------------------------------

    def _nested(self) -> Committee:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_object()
        return self._managed_object()

    @extend_schema(
        methods=["GET"],
        summary="评审专业（列表）",
        responses=results_of(CommitteeSpecialtySerializer),
    )
    @extend_schema(
        methods=["POST"],
        summary="评审专业（新增）",
        request=SpecialtyInputSerializer,
        responses={201: CommitteeSpecialtySerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def specialties(self, request, pk=None):
        committee = self._nested()
        if request.method == "POST":
            serializer = SpecialtyInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            link = services.committee_specialty_add(
                actor=request.user,
                committee=committee,
                specialty=serializer.validated_data["specialty"],
            )
            return Response(CommitteeSpecialtySerializer(link).data, status=201)
        links = selectors.committee_specialty_list(committee=committee)
        return Response({"results": CommitteeSpecialtySerializer(links, many=True).data})

    @extend_schema(
        summary="评审专业（修改 / 删除）",
        request=SpecialtyInputSerializer,
        responses=CommitteeSpecialtySerializer,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"specialties/(?P<link_id>\d+)")
    def specialty_detail(self, request, pk=None, link_id=None):
        committee = self._managed_object()
        link = _row_or_404(committee.specialty_links, link_id)
        if request.method == "DELETE":
            services.committee_specialty_remove(actor=request.user, link=link)
            return Response(status=204)
        serializer = SpecialtyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.committee_specialty_change(
            actor=request.user, link=link, specialty=serializer.validated_data["specialty"]
        )
        return Response(CommitteeSpecialtySerializer(link).data)

    @extend_schema(
        methods=["GET"],
        summary="组建单位（列表）",
        responses=results_of(CommitteeOrganizerSerializer),
    )
    @extend_schema(
        methods=["POST"],
        summary="组建单位（新增）",
        request=OrganizerInputSerializer,
        responses={201: CommitteeOrganizerSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def organizers(self, request, pk=None):
        committee = self._nested()
        if request.method == "POST":
            serializer = OrganizerInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            link = services.committee_organizer_add(
                actor=request.user,
                committee=committee,
                organization=_organization_in_scope(
                    request.user, serializer.validated_data["organization"]
                ),
            )
            return Response(CommitteeOrganizerSerializer(link).data, status=201)
        links = selectors.committee_organizer_list(committee=committee)
        return Response({"results": CommitteeOrganizerSerializer(links, many=True).data})

    @extend_schema(
        summary="组建单位（修改 / 删除）",
        request=OrganizerInputSerializer,
        responses=CommitteeOrganizerSerializer,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"organizers/(?P<link_id>\d+)")
    def organizer_detail(self, request, pk=None, link_id=None):
        committee = self._managed_object()
        link = _row_or_404(committee.organizer_links, link_id)
        if request.method == "DELETE":
            services.committee_organizer_remove(actor=request.user, link=link)
            return Response(status=204)
        serializer = OrganizerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.committee_organizer_change(
            actor=request.user,
            link=link,
            organization=_organization_in_scope(
                request.user, serializer.validated_data["organization"]
            ),
        )
        return Response(CommitteeOrganizerSerializer(link).data)

    @extend_schema(
        methods=["GET"],
        summary="缴费标准（列表）",
        responses=results_of(FeeStandardSerializer),
    )
    @extend_schema(
        methods=["POST"],
        summary="缴费标准（新增）",
        request=FeeInputSerializer,
        responses={201: FeeStandardSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def fees(self, request, pk=None):
        committee = self._nested()
        if request.method == "POST":
            serializer = FeeInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            fee = services.fee_standard_create(
                actor=request.user, committee=committee, **serializer.validated_data
            )
            return Response(FeeStandardSerializer(fee).data, status=201)
        fees = selectors.fee_standard_list(committee=committee)
        return Response({"results": FeeStandardSerializer(fees, many=True).data})

    @extend_schema(
        summary="缴费标准（修改 / 删除）",
        request=FeePatchSerializer,
        responses=FeeStandardSerializer,
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"fees/(?P<fee_id>\d+)")
    def fee_detail(self, request, pk=None, fee_id=None):
        committee = self._managed_object()
        fee = _row_or_404(committee.fees, fee_id)
        if request.method == "DELETE":
            services.fee_standard_delete(actor=request.user, fee=fee)
            return Response(status=204)
        serializer = FeePatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fee = services.fee_standard_update(actor=request.user, fee=fee, **serializer.validated_data)
        return Response(FeeStandardSerializer(fee).data)


def _row_or_404(related_manager, pk):
    row = related_manager.filter(pk=pk).first()
    if row is None:
        raise Http404("记录不存在或无权访问")
    return row


def register(router) -> None:
    router.register("committees", CommitteeViewSet, basename="committee")
