"""The OpenAPI schema's inspector: drf-spectacular's, plus the error answers of every operation
(see ``zhicheng.common.api``). ``DEFAULT_SCHEMA_CLASS`` in the settings."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import inline_serializer
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "ErrorDetail"
ERROR_SCHEMA = {
    "type": "object",
    "description": "错误：中文信息在 detail 中",
    "properties": {"detail": {"type": "string", "description": "中文错误信息"}},
    "required": ["detail"],
}
INVALID_COMPONENT = "InvalidRequest"
INVALID_SCHEMA = {
    "type": "object",
    "description": '请求有误：{"detail": 中文信息}，或按字段给出 {"字段": ["中文信息", …]}',
    "properties": {"detail": {"type": "string", "description": "中文错误信息"}},
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "请求参数或数据有误，或当前状态不允许此操作",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作（含初始密码未修改的账号）",
    "404": "记录不存在或无权访问（含超出最后一页）",
    "413": "上传的内容超过大小上限",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁或账号已锁定，请稍后再试",
}
# A stored upload answered inline (电子档案, proofs, sealed scans): what the checks let in.
FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiTypes.BINARY,
    (200, "image/jpeg"): OpenApiTypes.BINARY,
    (200, "image/png"): OpenApiTypes.BINARY,
}

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error answers of every operation (see module doc).

    An operation that declares a code itself keeps its own description and body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            component = INVALID_COMPONENT if code == "400" else ERROR_COMPONENT
            responses[code] = {
                "content": {"application/json": {"schema": self._error_ref(component)}},
                "description": ERROR_DESCRIPTIONS[code],
            }
        return responses

    def _error_ref(self, name: str) -> dict:
        schema = INVALID_SCHEMA if name == INVALID_COMPONENT else ERROR_SCHEMA
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _is_public(self) -> bool:
        permissions = self.view.get_permissions()
        return not permissions or all(isinstance(p, AllowAny) for p in permissions)

    def _error_codes(self) -> list[str]:
        codes = []
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if self.method != "GET" or has_query:
            codes.append("400")
        if not self._is_public():
            codes.append("401")
        codes.append("403")
        if not self._is_public():
            # a record in the path, a page past the last, an id in the body or the query that
            # does not exist or is out of scope (ids cannot be probed: both read alike)
            codes.append("404")
        if self.method in BODY_METHODS:
            request_body = self._get_request_body()
            if request_body:
                if "multipart/form-data" in request_body.get("content", {}):
                    codes.append("413")
                codes.append("415")
        if self._is_public() or getattr(self.view, "throttle_classes", None):
            codes.append("429")
        return codes


def results_of(serializer_class):
    """The schema of ``{"results": [...]}``: a list answered whole, not paginated (typeaheads,
    a record's sub-lists)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(f"{name}Results", {"results": serializer_class(many=True)})
