"""The 用人单位 lists, declared once (page, API filters and Excel export derive from them):
单位注册审核, and the 公示表 (申报综合情况) of a 单位内部公示."""

from zhicheng.applications.models import ApplicationStatus, Education
from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.units import selectors
from zhicheng.units.models import RegistrationStatus

UNIT_REGISTRATIONS = Listing(
    name="unit-registrations",
    title="单位注册",
    permission="units.view_unitregistration",
    selector=selectors.unit_registration_list,
    filters=(
        Filter("name", "单位名称", max_length=200),
        Filter("uscc", "统一社会信用代码", max_length=18),
        Filter("status", "状态", "choice", choices=RegistrationStatus.choices),
    ),
    columns=(
        Col("单位名称", "name", link=True, width=36),
        Col("统一社会信用代码", "uscc", width=22),
        Col("主管单位", "competent.name", width=30),
        Col("联系人", "contact_name", width=12),
        Col("联系电话", "contact_phone", width=16),
        Col("状态", "get_status_display", field="status", choices=RegistrationStatus.choices),
        Col("审核意见", "reason", width=30, page=False),
        Col("注册时间", "created_at", width=20),
        Col("审核时间", "decided_at", width=20, page=False),
    ),
)

# 公示表 (申报综合情况): what the unit posts for its staff to see before it recommends them.
PUBLICITY_SHEET = Listing(
    name="unit-publicity-sheet",
    title="单位内部公示表（申报综合情况）",
    permission="units.view_unitpublicity",
    selector=selectors.publicity_sheet,
    filters=(Filter("publicity", "公示编号", "int", minimum=1, maximum=2**31 - 1),),
    columns=(
        Col("申报编号", "pk", field="id", width=10),
        Col("姓名", "person.name", field="person__name", width=12),
        Col("用人单位", "employer.name", field="employer__name", width=30),
        Col("取得方式", "get_acquisition_method_display", field="acquisition_method",
            choices=AcquisitionMethod.choices, width=10),
        Col("申报职称", "title.name", field="title__name", width=20),
        Col("级别", "get_level_display", field="level", choices=TitleLevel.choices, width=10),
        Col("申报专业", "specialty.name", field="specialty__name", width=20),
        Col("学历", "get_education_display", field="education", choices=Education.choices,
            width=10, page=False),
        Col("毕业院校", "school", width=20),
        Col("所学专业", "major", width=20),
        Col("参加工作时间", "work_start_date", width=14),
        Col("现职称", "current_title_name", width=14),
        Col("现职称取得时间", "current_title_date", width=14),
        Col("状态", "get_status_display", field="status", choices=ApplicationStatus.choices,
            width=10, page=False),
    ),
)  # fmt: skip
