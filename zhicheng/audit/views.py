"""审计管理员 pages: 操作日志 (list + 详情 with the full diff) and 登录日志. Read-only."""

from auditlog.models import LogEntry

from zhicheng.audit import display, selectors
from zhicheng.audit.forms import DateRangeQueryForm
from zhicheng.audit.listings import LOGIN_LOG, OPERATION_LOG
from zhicheng.common.validators import may_see_full_id_numbers
from zhicheng.web.views_list import Column, ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView

VIEW_OPERATION_LOG = selectors.VIEW_OPERATION_LOG
VIEW_LOGIN_LOG = selectors.VIEW_LOGIN_LOG


def actor_label(entry: LogEntry) -> str:
    if entry.actor is None:
        return "系统"
    user = entry.actor
    return f"{user.real_name}（{user.username}）" if user.real_name else user.username


class OperationLogListView(ListPageView):
    title = "操作日志"
    active_menu = "sys.oplog"
    permission_required = VIEW_OPERATION_LOG
    listing = OPERATION_LOG
    filter_form_base = DateRangeQueryForm
    mask_id_numbers = True  # applicants' user names are 身份证号

    @property
    def columns(self):
        mask = not may_see_full_id_numbers(self.request.user)
        names: dict = {}  # related rows' names, looked up once for the page
        return (
            Column("时间", "timestamp", css_class="text-nowrap"),
            Column("操作人", actor_label),
            Column("IP", "remote_addr"),
            Column("操作", display.operation_label, css_class="text-nowrap"),
            Column("对象类型", display.content_type_label),
            Column("对象", "object_repr", link=True),
            Column("变更内容", lambda entry: display.change_summary(entry, mask=mask, names=names)),
        )

    row_actions = (RowAction("详情", "audit:operation-log-detail", VIEW_OPERATION_LOG),)
    empty_text = "没有符合条件的操作日志"


class OperationLogDetailView(DetailPageView):
    title = "操作日志详情"
    active_menu = "sys.oplog"
    permission_required = VIEW_OPERATION_LOG
    object_getter = selectors.operation_log_get
    template_name = "audit/operation_log_detail.html"
    back_url_name = "audit:operation-log-list"
    mask_id_numbers = True

    def get_fields(self, entry: LogEntry):
        actor = entry.actor
        return [
            ("时间", entry.timestamp),
            ("操作人", actor_label(entry)),
            ("所属机构", actor.organization if actor is not None else ""),
            ("IP地址", entry.remote_addr),
            ("操作", display.operation_label(entry)),
            ("对象类型", display.content_type_label(entry)),
            ("对象", entry.object_repr),
            ("对象编号", entry.object_pk),
            ("说明", (entry.additional_data or {}).get("summary", "")),
            ("请求编号", entry.cid),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_rows"] = display.change_rows(
            self.object, mask=not may_see_full_id_numbers(self.request.user)
        )
        context["show_old"] = self.object.action != LogEntry.Action.CREATE
        context["show_new"] = self.object.action != LogEntry.Action.DELETE
        return context


class LoginLogListView(ListPageView):
    title = "登录日志"
    active_menu = "sys.loginlog"
    permission_required = VIEW_LOGIN_LOG
    listing = LOGIN_LOG
    filter_form_base = DateRangeQueryForm
    mask_id_numbers = True
    empty_text = "没有符合条件的登录记录"
