"""The 黑名单 list (guide 1.21), declared once: page, export and API derive from it."""

from zhicheng.blacklist import selectors
from zhicheng.blacklist.models import BlacklistReason, BlacklistState
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.persons.models import Gender, IdType

BLACKLIST = Listing(
    name="blacklist",
    title="黑名单",
    permission="blacklist.view_blacklistentry",
    selector=selectors.blacklist_entry_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("id_number", "身份证号", max_length=32, help_text="前缀匹配"),
        Filter("reason", "原因类别", "choice", choices=BlacklistReason.choices),
        Filter("state", "状态", "choice", choices=BlacklistState.choices),
        Filter("start_from", "开始日期起", "date"),
        Filter("start_to", "开始日期止", "date"),
    ),
    columns=(
        Col("姓名", "person.name", link=True, width=12),
        Col("证件类型", field="person__id_type", choices=IdType.choices, width=14, page=False),
        # set per row by the page, 身份证号 in full only with accounts.view_full_id_number
        Col("身份证号", "id_number_display", export=False),
        Col("证件号码", field="person__id_number", id_number=True, width=22, page=False),
        Col("性别", "person.get_gender_display", "person__gender", choices=Gender.choices, width=6),
        Col("原因类别", "get_reason_display", "reason", choices=BlacklistReason.choices, width=24),
        Col("依据文号", "document_number", width=24),
        Col("开始日期", "start_date", width=12),
        Col("结束日期", "end_date", width=12),
        Col("状态", template="blacklist/_state_cell.html", field="state_label", width=8),
        Col("列入单位", "organization.name", width=30),
        Col("录入人", field="created_by__real_name", width=12, page=False),
        Col("录入时间", field="created_at", width=20, page=False),
        Col("备注", field="notes", width=30, page=False),
        Col("解除原因", field="lift_reason", width=30, page=False),
        Col("解除时间", field="lifted_at", width=20, page=False),
    ),
)
