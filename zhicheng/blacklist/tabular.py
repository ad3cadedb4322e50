"""黑名单 export (导出查询结果): the list page's query, columns and filters, 身份证号 masked
unless the user holds accounts.view_full_id_number (the engine does the masking)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist import selectors
from zhicheng.blacklist.models import (
    BlacklistEntry,
    BlacklistReason,
    BlacklistState,
    BlacklistStatus,
)
from zhicheng.common.query import query_text
from zhicheng.persons.models import Gender, IdType
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

KEY = "blacklist"

LIST_FILTERS = {
    "name": "姓名",
    "id_number": "身份证号",
    "reason": "原因类别",
    "state": "状态",
    "start_from": "开始日期起",
    "start_to": "开始日期止",
}
_CHOICES = {"reason": set(BlacklistReason.values), "state": set(BlacklistState.values)}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def list_filters_from_params(params: Mapping[str, str]) -> dict:
    """The list page's filters from GET parameters; invalid values are ignored, as the
    list's query form does."""
    filters: dict = {}
    for key in LIST_FILTERS:
        value = query_text(params, key)
        if not value:
            continue
        if key in _CHOICES:
            if value in _CHOICES[key]:
                filters[key] = value
        elif key.startswith("start_"):
            day = _date(value)
            if day is not None:
                filters[key] = day
        else:
            filters[key] = value
    return filters


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[BlacklistEntry]:
    today = timezone.localdate()
    state = Case(
        When(status=BlacklistStatus.LIFTED, then=Value(BlacklistState.LIFTED.label)),
        When(start_date__gt=today, then=Value(BlacklistState.PENDING.label)),
        When(end_date__lt=today, then=Value(BlacklistState.EXPIRED.label)),
        default=Value(BlacklistState.IN_FORCE.label),
        output_field=CharField(),
    )
    return selectors.blacklist_entry_list(
        user=user, on=today, **list_filters_from_params(params)
    ).annotate(state_label=state)


register_export(
    ExportSpec(
        key=KEY,
        title="黑名单",
        permission="blacklist.view_blacklistentry",
        columns=(
            ExportColumn("姓名", "person__name", width=12),
            ExportColumn("证件类型", "person__id_type", choices=IdType.choices, width=14),
            ExportColumn("证件号码", "person__id_number", id_number=True, width=22),
            ExportColumn("性别", "person__gender", choices=Gender.choices, width=6),
            ExportColumn("原因类别", "reason", choices=BlacklistReason.choices, width=24),
            ExportColumn("依据文号", "document_number", width=24),
            ExportColumn("开始日期", "start_date", width=12),
            ExportColumn("结束日期", "end_date", width=12),
            ExportColumn("状态", "state_label", width=8),
            ExportColumn("列入单位", "organization__name", width=30),
            ExportColumn("录入人", "created_by__real_name", width=12),
            ExportColumn("录入时间", "created_at", width=20),
            ExportColumn("备注", "notes", width=30),
            ExportColumn("解除原因", "lift_reason", width=30),
            ExportColumn("解除时间", "lifted_at", width=20),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
    )
)
