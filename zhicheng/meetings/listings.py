"""评审会议结果, declared once: the page, the Excel export and the API list derive from it.

Each row is one participant's ``MeetingResult`` of a closed meeting — the average score, the
tally (同意 / 不同意 / 弃权 counts) and the result; never an expert's vote."""

from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.common.query import ID_MAX
from zhicheng.meetings import selectors
from zhicheng.meetings.models import CapLevel

PASSED_CHOICES = (("true", "通过"), ("false", "未通过"))
RESULT_LABELS = ((True, "通过"), (False, "未通过"))


def _result(row) -> str:
    return "通过" if row.passed else "未通过"


MEETING_RESULTS = Listing(
    name="meeting-results",
    title="评审会议结果",
    permission="meetings.view_meeting",
    selector=selectors.meeting_result_list,
    filters=(
        Filter("plan", "呈报方案 id", "int", minimum=1, maximum=ID_MAX, page=False),
        Filter("plan_name", "方案名称", max_length=200),
        Filter("name", "姓名", max_length=50),
        Filter("passed", "评审结果", "choice", choices=PASSED_CHOICES),
    ),
    columns=(
        Col("方案名称", "meeting.plan.name", width=36),
        Col("排名", "rank", width=8),
        Col("姓名", "participant.application.person.name", width=12),
        Col("工作单位", "participant.application.employer.name", width=30),
        Col("专业", "participant.application.specialty.name", width=20),
        Col("平均分", "score", width=10),
        Col("到会专家", "present", width=10),
        Col("同意", "agree", width=8),
        Col("不同意", "disagree", width=8),
        Col("弃权", "abstain", width=8),
        Col("结果", _result, field="passed", choices=RESULT_LABELS, width=8),
        Col("未通过原因", "cut_reason", width=40),
    ),
)


PASS_RATE_CAPS = Listing(
    name="pass-rate-caps",
    title="通过率上限",
    permission="meetings.view_passratecap",
    selector=selectors.pass_rate_caps,
    columns=(
        Col("年度", "year", width=8),
        Col("职称级别", "get_level_display", field="level", choices=CapLevel.choices, width=10),
        Col("通过率上限（%）", "max_percent", width=16),
        Col("设置人", "updated_by.username", width=16),
        Col("设置时间", "updated_at", width=20),
    ),
)
"""通过率上限 per year and level (HR officers set, committees read): the page and its export."""
