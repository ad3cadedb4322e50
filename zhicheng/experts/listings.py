"""The 专家库 list, declared once: page, export and API derive from it."""

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.common.query import ID_MAX
from zhicheng.experts import selectors
from zhicheng.experts.models import ExpertLevel, ExpertStatus, PanelRole

EXPERTS = Listing(
    name="experts",
    title="专家库",
    permission="experts.view_expert",
    selector=selectors.expert_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("committee_name", "评委会", max_length=100),
        Filter("specialty_name", "专业", max_length=100),
        Filter("level", "职称级别", "choice", choices=ExpertLevel.choices),
        Filter("status", "状态", "choice", choices=ExpertStatus.choices),
        Filter("employer_name", "工作单位", max_length=100),
    ),
    columns=(
        Col("姓名", "person.name", link=True, width=12),
        Col("证件号码", field="person__id_number", id_number=True, width=22, page=False),
        Col("专家账号", "account.username", width=16),
        Col("所属评委会", "committee.name", width=30),
        Col("职称系列", "series.name", width=12),
        Col("专业", "specialty.name", width=20),
        Col("职称级别", "get_level_display", "level", choices=ExpertLevel.choices, width=10),
        Col("工作单位", "employer.name", width=30),
        Col("聘任期", "term_display", export=False),
        Col("聘任期起", field="term_start", width=12, page=False),
        Col("聘任期止", field="term_end", width=12, page=False),
        Col("状态", "get_status_display", "status", choices=ExpertStatus.choices, width=8),
        Col("出库原因", field="leave_reason", width=30, page=False),
    ),
)


PANEL = Listing(
    name="plan-panel",
    title="评审专家组",
    permission="experts.view_paneldraw",
    selector=selectors.panel_member_list,
    filters=(Filter("plan", "呈报方案 id", "int", minimum=1, maximum=ID_MAX, page=False),),
    columns=(
        Col("顺序", "order", width=8),
        Col("身份", "get_role_display", field="role", choices=PanelRole.choices, width=10),
        Col("姓名", "expert.person.name", width=12),
        Col("专业", "requirement.specialty.name", width=24),
        Col(
            "职称级别",
            "expert.get_level_display",
            field="expert__level",
            choices=ExpertLevel.choices,
            width=10,
        ),
        Col("工作单位", "expert.employer.name", width=30),
    ),
)
"""评审专家组 of one plan (``?plan=``, its panel page's 导出): the latest draw's experts in draw
order, members then alternates as drawn; the page's columns only (no 身份证号, no mobile)."""
