"""职称申报 export (1.12 / 1.24 导出查询结果): the list page's query and filters, through the
shared Excel engine; 身份证号 masked unless the user holds accounts.view_full_id_number."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

from . import selectors
from .models import Application, ApplicationStatus, Education

KEY = "applications"

LIST_FILTERS = {
    "scope": "范围",
    "name": "姓名",
    "id_number": "身份证号",
    "title": "职称",
    "level": "职称级别",
    "acquisition_method": "取得方式",
    "year": "申报年度",
    "status": "状态",
}
_CHOICES = {
    "scope": {value for value, _ in selectors.Scope.CHOICES},
    "level": set(TitleLevel.values),
    "acquisition_method": set(AcquisitionMethod.values),
    "status": set(ApplicationStatus.values),
}


def list_filters_from_params(params: Mapping[str, str]) -> dict:
    """The list filters from GET parameters; invalid values are ignored, as the query form
    does. No ``scope`` means 全部, as in ``GET /api/v1/applications/``: the pages always send
    the scope they show (``ApplicationListBase.toolbar_context``), so an export is the screen's
    query whichever page or client asks for it."""
    filters: dict = {"scope": selectors.Scope.ALL}
    for key in LIST_FILTERS:
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if key in _CHOICES:
            if value in _CHOICES[key]:
                filters[key] = value
        elif key == "title":
            if value.isdigit() and len(value) <= 18:
                filters[key] = int(value)
        elif key == "year":
            if value.isdigit() and len(value) == 4:
                filters[key] = int(value)
        else:
            filters[key] = value
    return filters


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[Application]:
    return selectors.application_list(user=user, capped=False, **list_filters_from_params(params))


register_export(
    ExportSpec(
        key=KEY,
        title="职称申报",
        permission="applications.view_application",
        columns=(
            ExportColumn("姓名", "person__name", width=12),
            ExportColumn("身份证号", "person__id_number", id_number=True, width=22),
            ExportColumn("申报年度", "year", width=10),
            ExportColumn("取得方式", "acquisition_method", choices=AcquisitionMethod.choices),
            ExportColumn("申报职称", "title__name", width=18),
            ExportColumn("职称级别", "level", choices=TitleLevel.choices, width=10),
            ExportColumn("申报专业", "specialty__name", width=20),
            ExportColumn("用人单位", "employer__name", width=30),
            ExportColumn("评委会", "committee__name", width=30),
            ExportColumn("学历", "education", choices=Education.choices, width=12),
            ExportColumn("状态", "status", choices=ApplicationStatus.choices, width=10),
            ExportColumn("当前审核机构", "current_organization__name", width=30),
            ExportColumn("上级退回", "returned_from__name", width=30),
            ExportColumn("失信黑名单", "is_blacklisted", choices=((True, "是"), (False, "否"))),
            ExportColumn("提交时间", "submitted_at", width=20),
            ExportColumn("审核通过时间", "decided_at", width=20),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
        filter_values={
            "scope": dict(selectors.Scope.CHOICES),
            "level": dict(TitleLevel.choices),
            "acquisition_method": dict(AcquisitionMethod.choices),
            "status": dict(ApplicationStatus.choices),
        },
    )
)
