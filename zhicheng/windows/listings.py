"""The 申报批次 list, declared once: page, export and API derive from it."""

from zhicheng.catalog.models import TitleLevel
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.common.query import ID_MAX

from . import selectors
from .models import WindowState

APPLICATION_WINDOWS = Listing(
    name="application-windows",
    title="申报批次",
    permission="windows.view_applicationwindow",
    selector=selectors.application_window_list,
    filters=(
        Filter("name", "批次名称", max_length=100),
        Filter("year", "申报年度", "int", minimum=2000, maximum=2100),
        Filter("series", "职称系列", "int", minimum=1, maximum=ID_MAX, page=False),
        Filter("level", "职称级别", "choice", choices=TitleLevel.choices),
        Filter("state", "状态", "choice", choices=WindowState.choices),
    ),
    columns=(
        Col("批次名称", "name", link=True, width=30),
        Col("申报年度", "year", width=10),
        Col("职称系列", "series.name", "series__name", width=14),
        Col("职称级别", "get_level_display", "level", choices=TitleLevel.choices, width=10),
        Col("开始时间", "opens_at", width=18),
        Col("结束时间", "closes_at", width=18),
        Col("状态", "state_display", export=False),
        Col("开设单位", "organization.name", "organization__name", width=30),
        Col("开设人", field="created_by__username", width=14, page=False),
        Col("提前结束时间", field="closed_early_at", width=18, page=False),
        Col("说明", field="note", width=30, page=False),
    ),
)
