"""The 操作日志 and 登录日志 lists, declared once (pages; the operation log's API list)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from zhicheng.audit import selectors
from zhicheng.audit.forms import ContentTypeChoiceField
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.common.query import parse_int


def _content_type_field(flt: Filter) -> ContentTypeChoiceField:
    return ContentTypeChoiceField(
        label=flt.label,
        queryset=selectors.operation_log_content_types(),
        empty_label="全部",
        required=False,
    )


def _by_content_type(qs: QuerySet, value) -> QuerySet:
    """The page's choice (a ContentType), or the API's ``app.model`` / id."""
    if isinstance(value, ContentType):
        return qs.filter(content_type=value)
    if "." in value:
        app_label, model = value.split(".", 1)
        ct = selectors.operation_log_content_types().filter(app_label=app_label, model=model)
        return qs.filter(content_type__in=ct[:1])
    return qs.filter(content_type_id=parse_int(value, label="对象类型编号"))


def _dates() -> tuple[Filter, ...]:
    return (
        Filter("date_from", "开始日期", "date"),
        Filter("date_to", "结束日期", "date"),
    )


OPERATION_LOG = Listing(
    name="operation-logs",
    selector=selectors.operation_log_list,
    filters=(
        Filter("actor", "操作人", max_length=150, help_text="用户名或姓名"),
        Filter("operation", "操作类型", "choice", choices=selectors.OPERATION_CHOICES),
        Filter(
            "content_type",
            "对象类型",
            pattern=r"\d+|[a-z_]+\.[a-z_]+",
            invalid="对象类型应为“应用.模型”，如 orgs.organization",
            description="对象类型：应用.模型，如 orgs.organization",
            narrow=_by_content_type,
            form_field=_content_type_field,
        ),
        Filter("object_repr", "对象名称", max_length=200),
        *_dates(),
        Filter("ip", "IP地址", max_length=45, help_text="前缀匹配"),
    ),
    # Its columns depend on the viewer (masking, names looked up per page): see views.py.
)


def login_method(row: dict) -> str:
    return "接口" if (row.get("path_info") or "").startswith("/api/") else "网页"


LOGIN_LOG = Listing(
    name="login-logs",
    selector=selectors.login_log_list,
    filters=(
        Filter("result", "登录结果", "choice", choices=selectors.LOGIN_RESULT_CHOICES),
        Filter("username", "用户名", max_length=150),
        Filter("ip", "IP地址", max_length=45, help_text="前缀匹配"),
        *_dates(),
    ),
    columns=(
        Col("时间", lambda r: r["attempt_time"], css_class="text-nowrap"),
        Col("用户名", lambda r: r["username"]),
        Col("结果", lambda r: r["success"], template="audit/_login_result_cell.html"),
        Col("IP", lambda r: r["ip_address"]),
        Col("登录方式", login_method),
        Col("浏览器", lambda r: (r["user_agent"] or "")[:80], css_class="small text-muted"),
    ),
)
