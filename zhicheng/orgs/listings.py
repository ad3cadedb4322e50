"""The 机构管理 list, declared once: page, export and API derive from it."""

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.orgs import selectors
from zhicheng.orgs.models import OrgStatus, OrgType

ORGANIZATIONS = Listing(
    name="organizations",
    title="机构",
    permission="orgs.view_organization",
    selector=selectors.organization_list,
    filters=(
        Filter("name", "机构名称", max_length=200),
        Filter("uscc", "统一社会信用代码", max_length=18, help_text="前缀匹配"),
        Filter("org_type", "机构类型", "choice", choices=OrgType.choices),
        Filter("region_code", "行政区划", max_length=6, help_text="代码前缀，如 3201"),
        Filter("status", "状态", "choice", choices=OrgStatus.choices),
    ),
    columns=(
        Col("机构名称", "name", link=True, width=36),
        Col("统一社会信用代码", "uscc", width=22),
        Col("机构类型", "get_org_type_display", "org_type", choices=OrgType.choices, width=14),
        Col("行政区划代码", "region_code", width=12),
        Col("层级", "depth", width=6),
        Col(
            "状态",
            template="orgs/_status_cell.html",
            field="status",
            choices=OrgStatus.choices,
            width=8,
        ),
        # Not a list column: without it a flat export would lose the tree.
        Col("上级机构", field="parent_name", width=36, page=False),
    ),
)
