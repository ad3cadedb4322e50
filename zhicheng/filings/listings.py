"""The lists of 评后公示, 异议 and 1.15 职称评审结果备案, each declared once: page, export and API
derive from it."""

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.filings import selectors
from zhicheng.filings.models import FilingStatus, ObjectionStatus

PHASES = (("unpublished", "未公示"), ("under_way", "公示中"), ("ended", "公示结束"))


def _phase(plan) -> str:
    publicity = getattr(plan, "publicity", None)
    return publicity.phase() if publicity is not None else "未公示"


def _period(plan) -> str:
    publicity = getattr(plan, "publicity", None)
    return publicity.period_display if publicity is not None else "—"


def _filing(plan) -> str:
    filing = getattr(plan, "result_filing", None)
    return filing.get_status_display() if filing is not None else "未报送"


PUBLICITY_PLANS = Listing(
    name="publicity-plans",
    title="评后公示",
    permission="filings.view_publicity",
    selector=selectors.publicity_plan_list,
    filters=(
        Filter("name", "方案名称", max_length=200),
        Filter("year", "评审年度", "int", minimum=1, maximum=9999),
        Filter("phase", "公示状态", "choice", choices=PHASES),
    ),
    columns=(
        Col("方案名称", "name", width=36),
        Col("评委会", "committee.name", width=36),
        Col("评审年度", "year", width=10),
        Col("通过人数", "passed_count", width=10),
        Col("公示期", _period, export=False),
        Col("公示开始日期", field="publicity__starts_on", width=14, page=False),
        Col("公示结束日期", field="publicity__ends_on", width=14, page=False),
        Col("公示状态", _phase, export=False),
        Col(
            "备案状态",
            _filing,
            field="result_filing__status",
            choices=FilingStatus.choices,
            width=12,
        ),
    ),
)

OBJECTIONS = Listing(
    name="objections",
    title="异议",
    permission="filings.view_publicity",
    selector=selectors.objection_list,
    filters=(
        Filter("plan_name", "方案名称", max_length=200),
        Filter("name", "参评人员", max_length=50),
        Filter("status", "处理结果", "choice", choices=ObjectionStatus.choices),
    ),
    columns=(
        Col("方案名称", "publicity.plan.name", width=36),
        Col("参评人员", "participant.application.person.name", width=12),
        Col("异议内容", "content", width=40),
        Col("异议来源", "source", width=20),
        Col("登记时间", "recorded_at", width=20),
        Col(
            "处理结果",
            "get_status_display",
            "status",
            choices=ObjectionStatus.choices,
            width=10,
        ),
        Col("处理意见", "resolution", width=40),
        Col("处理时间", "resolved_at", width=20),
    ),
)

FILINGS = Listing(
    name="filings",
    title="职称评审结果备案",
    permission="filings.view_resultfiling",
    selector=selectors.filing_list,
    filters=(
        Filter("plan_name", "方案名称", max_length=200),
        Filter("committee_name", "评委会", max_length=200),
        Filter("year", "评审年度", "int", minimum=1, maximum=9999),
        Filter("status", "审核状态", "choice", choices=FilingStatus.choices),
    ),
    columns=(
        Col("方案名称", "plan.name", width=36),
        Col("评委会", "plan.committee.name", width=36),
        Col("评审年度", "plan.year", width=10),
        Col("报送时间", "sent_at", width=20),
        Col("报送次数", "send_count", width=10),
        Col("审核状态", "get_status_display", "status", choices=FilingStatus.choices, width=10),
        Col("备案文号", "filing_number", width=24),
        Col("备案时间", "filed_on", width=14),
        Col("取得职称人数", "granted_count", width=12),
        Col("审核意见", field="opinion", width=36, page=False),
    ),
)

RESULT_CHOICES = (("passed", "评审通过"), ("failed", "评审未通过"))


def _result(row) -> str:
    return "评审通过" if row.passed and not row.removed else "评审未通过"


RESULTS = Listing(
    name="filing-results",
    title="评审结果",
    permission="applications.view_application",
    selector=selectors.person_results,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("result", "评审结果", "choice", choices=RESULT_CHOICES),
    ),
    columns=(
        Col("姓名", "participant.application.person.name", width=12),
        Col("工作单位", "participant.application.employer.name", width=30),
        Col("申报职称", "participant.application.title.name", width=20),
        Col("申报专业", "participant.application.specialty.name", width=20),
        Col("评审方案", "meeting.plan.name", width=36),
        Col("评审结果", _result, export=False),
        Col("会议表决通过", field="passed", width=12, page=False),
        Col("公示异议成立", field="removed", width=12, page=False),
        Col("备案文号", "meeting.plan.result_filing.filing_number", width=24),
        Col("备案时间", "meeting.plan.result_filing.filed_on", width=14),
    ),
)
