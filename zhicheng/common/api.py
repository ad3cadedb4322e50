"""API plumbing shared by every app: the error model (Chinese messages, never a
500 for user input), JSON for errors Django itself answers under ``/api/``, the pagination
and query checks every list shares, and the OpenAPI schema's error responses.

The schema is the contract integrators build against; ``make api-check`` (schemathesis) holds
the answers to it. Here, once for every operation:

- ``zhicheng.common.openapi.AutoSchema`` documents the error answers each operation can give
  (400, 401, 403, 404, 413, 415, 429 as applicable), each a JSON object with a Chinese
  ``detail`` (a module of its own: drf-spectacular's inspector imports DRF's generic views,
  which import this module's filter backend);
- :class:`Pagination` refuses a malformed ``?page=`` / ``?page_size=`` with 400 instead of
  ignoring it, and documents their bounds;
- :class:`DocumentedChoicesFilter` (a default filter backend) refuses a query value outside
  the ``enum`` an operation documents (``?status=AAA``) with 400, so the schema's enums and
  the answers cannot drift apart.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, JsonResponse
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from zhicheng.common.errors import ApplicationError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


# Chinese for DRF messages its zh-hans catalogue leaves in English, by error code.
_FALLBACK_MESSAGES = {
    "null": "未提供数据",
    "required": "该字段是必填项",
    "invalid": "数据格式无效",
    "blank": "该字段不能为空",
    "max_length": "内容过长",
    "min_length": "内容过短",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _chinese_detail(detail):
    """Replace any message without Chinese in a DRF error structure by a Chinese one."""
    if isinstance(detail, dict):
        return {key: _chinese_detail(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_chinese_detail(item) for item in detail]
    if isinstance(detail, exceptions.ErrorDetail) and not _has_chinese(str(detail)):
        code = detail.code or "invalid"
        return exceptions.ErrorDetail(_FALLBACK_MESSAGES.get(code, "输入无效"), code=code)
    return detail


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": "；".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OverflowError, DataError)):
        # A number beyond the database's range that a field let through (SQLite: OverflowError,
        # PostgreSQL: "out of range" DataError) is the request's fault, not the server's.
        logger.warning("out-of-range value answered as 400: %s", exc)
        return Response(
            {"detail": "数值超出有效范围，请检查输入"}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, IntegrityError):
        # A uniqueness race the service's own check could not see (two requests at once).
        logger.warning("integrity error answered as 400: %s", exc)
        return Response(
            {"detail": "数据与已有记录冲突（可能已被他人修改），请刷新后重试"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.ParseError):
        # DRF's message quotes the parser's English error; the position is all the user needs.
        return Response(
            {"detail": "请求数据格式错误，无法解析，请检查 JSON 或表单内容"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.Throttled):
        minutes = max(1, -(-int(exc.wait or 60) // 60))
        response = Response(
            {"detail": f"请求过于频繁，请{minutes}分钟后再试"},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("记录不存在或无权访问")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "无权执行此操作")
    if isinstance(exc, exceptions.ValidationError):
        exc = exceptions.ValidationError(_chinese_detail(exc.detail))
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return Response({"detail": "服务器内部错误，请稍后重试"}, status=500)
    return response


def lockout_json(*, cooloff_minutes: int) -> JsonResponse:
    return JsonResponse(
        {
            "detail": f"登录失败次数过多，账号已锁定{cooloff_minutes}分钟，请稍后再试",
            "code": "locked_out",
        },
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class ApiErrorMiddleware:
    """Under ``/api/`` every error is JSON with a Chinese ``detail``, also where Django (not
    DRF) answers: unknown URLs (404), CSRF refusals and uncaught exceptions (500)."""

    MESSAGES = {
        400: "请求无效",
        403: "无权执行此操作",
        404: "接口或记录不存在",
        405: "不支持该请求方法",
        500: "服务器内部错误，请稍后重试",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in self.MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
        ):
            return JsonResponse(
                {"detail": self.MESSAGES[response.status_code]}, status=response.status_code
            )
        return response


# --- pagination -------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """DRF's page-number pagination, strict: ``?page=`` must be a positive integer (or
    ``last``), ``?page_size=`` (where a subclass allows it) an integer in [1, max_page_size];
    anything else is 400 with a Chinese ``detail`` rather than silently the first page. A page
    past the last one stays 404."""

    max_page = 10**9

    def paginate_queryset(self, queryset, request, view=None):
        self._check_int(
            request, self.page_query_param, maximum=self.max_page, allowed=self.last_page_strings
        )
        if self.page_size_query_param:
            self._check_int(request, self.page_size_query_param, maximum=self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _check_int(request, name: str, *, maximum: int | None, allowed=()) -> None:
        values = request.query_params.getlist(name)
        if not values:
            return
        if len(values) > 1:
            raise ApplicationError(f"参数“{name}”只能给出一次")
        value = values[0]
        if value in allowed:
            return
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 12 and int(text) >= 1):
            raise ApplicationError(f"参数“{name}”应为正整数")
        if maximum is not None and int(text) > maximum:
            raise ApplicationError(f"参数“{name}”不能大于{maximum}")

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "页码（从 1 开始）；超出最后一页时答 404"
                parameter["schema"]["maximum"] = self.max_page
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = "每页条数"
                if self.max_page_size:
                    parameter["schema"]["maximum"] = self.max_page_size
        return parameters


# --- documented query values ------------------------------------------------------------------


def documented_query_parameters(view, request) -> list[OpenApiParameter]:
    """The query parameters the view's current action declares with ``@extend_schema``."""
    action = getattr(view, "action", None) or request.method.lower()
    handler = getattr(view, action, None)
    schema_class = getattr(handler, "kwargs", {}).get("schema") or getattr(handler, "schema", None)
    if schema_class is None or not isinstance(schema_class, type):
        return []
    schema = schema_class()
    schema.view = view
    schema.method = request.method
    schema.path = request.path
    try:
        declared = schema.get_override_parameters()
    except AttributeError:  # an older drf-spectacular that cannot be asked this way
        return []
    return [
        p
        for p in declared
        if isinstance(p, OpenApiParameter) and p.location == OpenApiParameter.QUERY
    ]


def check_documented_choices(view, request) -> None:
    """400 ``{"detail"}`` when a query value is outside the ``enum`` its operation documents."""
    for parameter in documented_query_parameters(view, request):
        if not parameter.enum:
            continue
        allowed = [str(v) for v in parameter.enum]
        for value in request.query_params.getlist(parameter.name):
            if value == "" or value in allowed:
                continue
            shown = value if len(value) <= 20 else value[:20] + "…"
            raise ApplicationError(
                f"参数“{parameter.name}”的值“{shown}”无效，可选："
                + "、".join(v for v in allowed if v)
            )


class DocumentedChoicesFilter:
    """A default filter backend: refuses values outside the documented enums (see module doc).
    It filters nothing itself; each viewset's selector does."""

    def filter_queryset(self, request, queryset, view):
        check_documented_choices(view, request)
        return queryset

    def get_schema_operation_parameters(self, view):
        return []


# --- text fields take text ------------------------------------------------------------------

NOT_TEXT_MESSAGE = "应为文本（字符串），不能是数字、布尔值、列表或对象"


def refuse_non_text_for_text_fields() -> None:
    """DRF's ``CharField`` turns a JSON number into text (``{"reason": 0}`` is stored as "0");
    the schema says ``string``, so the API refuses anything else with 400, for every text field
    of every serializer (called once, from ``CommonConfig.ready``). Form and multipart values
    are text already."""
    from rest_framework import serializers

    if getattr(serializers.CharField, "_zhicheng_strict", False):
        return
    lenient = serializers.CharField.to_internal_value

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return lenient(self, data)

    serializers.CharField.default_error_messages = {
        **serializers.CharField.default_error_messages,
        "not_text": NOT_TEXT_MESSAGE,
    }
    serializers.CharField.to_internal_value = to_internal_value
    serializers.CharField._zhicheng_strict = True


def query_values(serializer_class, query_params) -> dict:
    """A query string read through a serializer of its parameters; a bad value is 400 with one
    Chinese ``detail`` naming the parameter (as for enums and pages), not per-field errors."""
    serializer = serializer_class(data=query_params)
    if not serializer.is_valid():
        problems = []
        for name, errors in serializer.errors.items():
            messages = errors if isinstance(errors, list) else [errors]
            problems.append(f"参数“{name}”：" + "".join(str(m) for m in messages))
        raise ApplicationError("；".join(problems))
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
