"""Business actions in the operation log.

Data changes (create / update / delete of registered models) are logged by django-auditlog
automatically. Business actions that are not a single row change — import, export, state
transitions, logins of note — are written here into the same ``auditlog.LogEntry`` table, so the
audit admin searches one log. ``additional_data["operation"]`` names the business action.

Every app writes here, so it lives in ``common``. ``LogEntry`` is django-auditlog's model (a
library, below every app), imported directly; the ``audit`` app only adds its data scope and the
pages that read it, and nothing here depends on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

OPERATION_LABELS = {
    "import": "导入",
    "export": "导出",
    "deregister": "注销",
    "delete": "删除",
    "revoke": "撤销",
    "lift": "解除",
    "submit": "提交",
    "approve": "审核通过",
    "return": "退回",
    "reset_password": "重置密码",
    "register": "注册",
    "create": "新增",
    "update": "修改",
    "activate": "启用",
    "deactivate": "停用",
    "withdraw": "撤回",
    "resubmit": "重新提交",
    "return_for_supplement": "退回补充材料",
    "review": "审核",
    "grant": "取得职称",
    "issue": "发放",
    "view_id_number": "查看身份证号",
    "leave": "出库",
    "rejoin": "入库",
    "draw": "抽取专家",
    "redraw": "重新抽取专家",
    "close": "提前结束",
    "meeting_open": "开始评审会议",
    "attendance": "登记到会",
    "vote": "表决",
    "meeting_close": "结束评审会议",
    "publish": "发布评后公示",
    "objection": "登记异议",
    "objection_resolve": "处理异议",
    "filing_send": "报送备案",
    "filing": "职称评审结果备案",
}


def operation_record(
    *,
    actor: User | None,
    operation: str,
    obj: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> LogEntry:
    """Append one business action to the operation log (in the caller's transaction).

    Inside a request the audit middleware supplies the client IP; ``remote_addr`` overrides it.
    """
    entry = operation_entry(
        actor=actor,
        operation=operation,
        obj=obj,
        summary=summary,
        changes=changes,
        remote_addr=remote_addr,
    )
    entry.save()
    return entry


def operation_entry(
    *,
    actor: User | None,
    operation: str,
    obj: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> LogEntry:
    """The entry ``operation_record`` appends, unsaved: a batch writes its entries with one
    ``LogEntry.objects.bulk_create`` (no save signal: outside a request only)."""
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_pk=str(obj.pk),
        object_id=obj.pk if isinstance(obj.pk, int) else None,
        object_repr=str(obj)[:255],
        action=LogEntry.Action.ACCESS,
        changes=changes or {},
        actor=actor if actor is not None and actor.is_authenticated else None,
        remote_addr=remote_addr,
        additional_data={
            "operation": operation,
            "label": OPERATION_LABELS.get(operation, operation),
            "summary": summary,
        },
    )
