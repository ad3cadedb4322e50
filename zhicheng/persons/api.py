"""/api/v1/persons/ and /api/v1/auth/register/.

- ``GET /persons/`` (filters ``name``, ``id_number``), ``GET /persons/<id>/`` — HR officers
  (``persons.view_person``), scoped;
  ``GET /persons/?search=`` is the typeahead (name substring or number prefix in scope, plus
  the exact full number anywhere for HR, see ``persons.selectors``).
- ``GET /persons/me/`` — the applicant's own person.
- ``PATCH /persons/<id>/`` — HR: name, mobile, is_retired, organization; applicant: own mobile.
- ``POST /auth/register/`` — public applicant registration (no login needed).
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from zhicheng.common.fields import DisplayField
from zhicheng.common.listing import ListingViewSetMixin
from zhicheng.common.query import query_text
from zhicheng.common.ratelimit import ClientScopedRateThrottle
from zhicheng.orgs.models import Organization
from zhicheng.persons import selectors, services
from zhicheng.persons.listings import PERSONS
from zhicheng.persons.models import Person
from zhicheng.persons.services import id_number_in_answer


class PersonSerializer(serializers.ModelSerializer):
    id_type_display = DisplayField(source="get_id_type_display")
    id_number = serializers.SerializerMethodField()
    gender_display = DisplayField(source="get_gender_display")
    birth_date = serializers.SerializerMethodField()
    organization_name = serializers.CharField(
        source="organization.name", read_only=True, default=None, allow_null=True
    )
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_type",
            "id_type_display",
            "id_number",
            "gender",
            "gender_display",
            "birth_date",
            "mobile",
            "is_retired",
            "organization",
            "organization_name",
            "has_account",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _shown(self, obj: Person) -> str:
        # Once per record: a whole number shown on 详情 is logged once.
        cache = self.__dict__.setdefault("_id_numbers", {})
        if obj.pk not in cache:
            cache[obj.pk] = id_number_in_answer(context=self.context, person=obj)
        return cache[obj.pk]

    def get_id_number(self, obj: Person) -> str:
        return self._shown(obj)

    def get_birth_date(self, obj: Person) -> str | None:
        # The birth date is part of the number: hidden exactly when the number is masked.
        if self._shown(obj) != obj.id_number or obj.birth_date is None:
            return None
        return obj.birth_date.isoformat()

    def get_has_account(self, obj: Person) -> bool:
        return obj.user_id is not None


class PersonUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_retired = serializers.BooleanField(required=False)
    organization = serializers.IntegerField(required=False)


class PersonPermissions(BasePermission):
    """Lists, details and the typeahead: ``persons.view_person`` (HR officers). ``me`` is the
    caller's own person; who may change what is the service's rule (HR, or an applicant their
    own mobile)."""

    message = "无权查看人员信息"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action in ("me", "partial_update"):
            return True
        return user.has_perm("persons.view_person")


class PersonViewSet(
    ListingViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    listing = PERSONS
    serializer_class = PersonSerializer
    permission_classes = [PersonPermissions]
    queryset = Person.objects.none()

    def get_object(self):
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    def list(self, request, *args, **kwargs):
        if "search" in request.query_params:
            items = selectors.person_typeahead(
                user=request.user, search=query_text(request.query_params, "search")
            )
            return Response({"results": self.get_serializer(items, many=True).data})
        return super().list(request, *args, **kwargs)

    @action(detail=False, methods=["get"])
    def me(self, request):
        person = selectors.person_for_user(request.user)
        if person is None:
            raise exceptions.NotFound("当前账号没有关联的人员信息")
        return Response(self.get_serializer(person).data)

    @extend_schema(summary="修改人员信息", request=PersonUpdateSerializer)
    def partial_update(self, request, pk=None):
        person = self.get_object()
        serializer = PersonUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "organization" in data:
            org = Organization.objects.filter(pk=data["organization"]).first()
            if org is None:
                raise serializers.ValidationError({"organization": ["工作单位不存在"]})
            data["organization"] = org
        person = services.person_update(actor=request.user, person=person, **data)
        return Response(self.get_serializer(person).data)


class RegisterSerializer(serializers.Serializer):
    name = serializers.CharField(label="真实姓名", max_length=50)
    id_number = serializers.CharField(label="身份证号", max_length=32)
    mobile = serializers.CharField(label="手机号", max_length=20)
    password = serializers.CharField(label="密码", write_only=True, trim_whitespace=False)
    password_confirm = serializers.CharField(
        label="确认密码", write_only=True, trim_whitespace=False
    )

    def validate(self, attrs):
        if attrs["password"] != attrs["password_confirm"]:
            raise serializers.ValidationError({"password_confirm": ["两次输入的密码不一致"]})
        return attrs


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


class RegisterView(APIView):
    """申报人注册. Public; a request that carries this site's cookies (a browser) must carry
    the CSRF token too — a client without cookies (no session to ride on) needs none."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "register"
    serializer_class = RegisterSerializer

    @extend_schema(summary="申报人注册", request=RegisterSerializer, responses={201: None})
    def post(self, request):
        if request.COOKIES:
            check = _CsrfCheck(lambda req: None)
            check.process_request(request._request)
            reason = check.process_view(request._request, None, (), {})
            if reason:
                raise exceptions.PermissionDenied(f"CSRF 校验失败：{reason}")
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = services.applicant_register(
            name=data["name"],
            id_number=data["id_number"],
            mobile=data["mobile"],
            password=data["password"],
        )
        return Response(
            {
                "username": person.user.username,
                "person": PersonSerializer(person, context={"request": request}).data,
                "detail": "注册成功，请使用身份证号和密码登录",
            },
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    router.register("persons", PersonViewSet, basename="person")


urlpatterns = [path("auth/register/", RegisterView.as_view(), name="api-register")]
