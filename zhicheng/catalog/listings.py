"""The 职称专业 and 职称 lists (their export and the API's flat filtered lists), declared once.
Their pages are trees (``views.py``), not list pages."""

from zhicheng.catalog import selectors
from zhicheng.catalog.models import TitleLevel
from zhicheng.common.listing import Col, Filter, Listing

SPECIALTIES = Listing(
    name="specialties",
    title="职称专业",
    permission="catalog.add_specialty",
    selector=selectors.specialty_list,
    filters=(
        Filter("code", "专业代码", help_text="前缀匹配"),
        Filter("name", "专业学科名称"),
    ),
    columns=(
        Col("专业代码", "code", width=14),
        Col("专业学科名称", "name", width=30),
        Col("上级专业代码", field="parent_code", width=14),
        Col("层级", "depth", width=6),
        Col("维护机构", field="owner_name", width=30),
    ),
)


def title_list(*, user, series_id: int | None = None, **filters):
    """``series_id``: a series the user may read (a group includes its sub-series); an unknown
    one is no filter."""
    series = None
    if series_id:
        series = selectors.title_series_list(user=user).filter(pk=series_id).first()
    return selectors.title_list(user=user, series=series, **filters)


TITLES = Listing(
    name="titles",
    title="职称",
    permission="catalog.add_title",
    selector=title_list,
    filters=(
        Filter("series", "职称系列", "int", arg="series_id", help_text="职称系列 id，含其下级系列"),
        Filter("level", "职称级别", "choice", choices=TitleLevel.choices),
        Filter("name", "职称名称"),
    ),
    columns=(
        Col("职称系列", field="series_label", width=20),
        Col("职称级别", "get_level_display", "level", choices=TitleLevel.choices, width=10),
        Col("职称名称", "name", width=24),
        Col("维护机构", field="owner_name", width=30),
    ),
)
