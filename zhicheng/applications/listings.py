"""The officers' application lists (1.12 资格审核, 1.24 审核流程查询), their export and the API's
list, declared once."""

from __future__ import annotations

import dataclasses

from django import forms

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.common.query import ID_MAX

from . import selectors
from .models import APPLICATION_METHODS, ApplicationStatus, Education


def _scope_field(flt: Filter) -> forms.Field:
    # No 全部 entry: every page shows one scope (its default set by the view).
    return forms.ChoiceField(label=flt.label, required=False, choices=selectors.Scope.CHOICES)


def _title_field(_flt: Filter) -> forms.Field:
    # Choices per user (the titles they may see), set by the view.
    return forms.TypedChoiceField(label="申报职称", required=False, coerce=int, empty_value=None)


def _method_field(flt: Filter) -> forms.Field:
    # The page offers the methods one applies by; the API and the export take every code.
    methods = [(m.value, m.label) for m in APPLICATION_METHODS]
    return forms.ChoiceField(label=flt.label, required=False, choices=[("", "全部"), *methods])


def _window_field(_flt: Filter) -> forms.Field:
    # Choices per user (the windows of their area), set by the view.
    return forms.TypedChoiceField(label="申报批次", required=False, coerce=int, empty_value=None)


def _status_field(flt: Filter) -> forms.Field:
    statuses = [(v, label) for v, label in ApplicationStatus.choices if v != "draft"]
    return forms.ChoiceField(label=flt.label, required=False, choices=[("", "全部"), *statuses])


APPLICATIONS = Listing(
    name="applications",
    title="职称申报",
    permission="applications.view_application",
    selector=selectors.application_list,
    filters=(
        Filter(
            "scope",
            "范围",
            "choice",
            choices=selectors.Scope.CHOICES,
            default=selectors.Scope.ALL,  # the pages send the scope they show
            form_field=_scope_field,
        ),
        Filter("name", "姓名", max_length=50),
        Filter(
            "id_number", "身份证号", max_length=32, help_text="完整号码（有权限者可按前缀查询）"
        ),
        Filter("title", "职称", "int", minimum=1, maximum=ID_MAX, form_field=_title_field),
        Filter("level", "职称级别", "choice", choices=TitleLevel.choices),
        Filter(
            "acquisition_method",
            "取得方式",
            "choice",
            choices=AcquisitionMethod.choices,
            form_field=_method_field,
        ),
        Filter("year", "申报年度", "int", minimum=2000, maximum=2100),
        Filter(
            "status", "状态", "choice", choices=ApplicationStatus.choices, form_field=_status_field
        ),
        Filter("window", "申报批次", "int", minimum=1, maximum=ID_MAX, form_field=_window_field),
    ),
    columns=(
        Col("姓名", "person.name", link=True, width=12),
        # id_number_display: set per row by the page (in full only with the permission)
        Col("身份证号", "id_number_display", "person__id_number", id_number=True, width=22),
        Col("年度", "year", export=False),
        Col("申报年度", field="year", width=10, page=False),
        Col(
            "取得方式",
            "get_acquisition_method_display",
            "acquisition_method",
            choices=AcquisitionMethod.choices,
        ),
        Col("申报职称", "title.name", "title__name", width=18),
        Col("级别", "get_level_display", export=False),
        Col("职称级别", field="level", choices=TitleLevel.choices, width=10, page=False),
        Col("申报专业", field="specialty__name", width=20, page=False),
        Col("用人单位", "employer.name", "employer__name", width=30),
        Col("评委会", field="committee__name", width=30, page=False),
        Col("申报批次", "window.name", "window__name", width=30),
        Col("学历", field="education", choices=Education.choices, width=12, page=False),
        Col(
            "状态",
            template="applications/_status_cell.html",
            field="status",
            choices=ApplicationStatus.choices,
            width=10,
        ),
        Col("当前审核机构", field="current_organization__name", width=30, page=False),
        Col("上级退回", field="returned_from__name", width=30, page=False),
        Col(
            "失信黑名单",
            field="is_blacklisted",
            choices=((True, "是"), (False, "否")),
            page=False,
        ),
        Col("提交时间", "submitted_at", width=20),
        Col("审核通过时间", field="decided_at", width=20, page=False),
    ),
)

# The export reads every row (no count cap), whichever page asks.
APPLICATIONS_EXPORT = dataclasses.replace(APPLICATIONS, fixed={"capped": False})

# 1.24 shows where each application is now instead of 级别 and 提交时间 (same filters, export).
APPLICATION_TRACE = dataclasses.replace(
    APPLICATIONS,
    columns=(
        Col("姓名", "person.name"),
        Col("身份证号", "id_number_display"),
        Col("年度", "year"),
        Col("取得方式", "get_acquisition_method_display"),
        Col("申报职称", "title.name"),
        Col("用人单位", "employer.name"),
        Col("状态", template="applications/_status_cell.html"),
        Col("当前所在", "where_now"),
    ),
)
