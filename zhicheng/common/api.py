"""API plumbing shared by every app: the error model (Chinese messages, never a
500 for user input), JSON for errors Django itself answers under ``/api/``."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
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
