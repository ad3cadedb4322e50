"""Reads of the 评审表: what the form says (``review_form_sheet``), the uploaded scan, and who
may do what with them. The application itself is always fetched through
``applications.selectors.application_get`` (the user's scope; 404 otherwise)."""

from __future__ import annotations

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.applications import selectors as application_selectors
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.common.scoping import scoped

from .models import ReviewFormScan
from .pdf import EMPTY, ReviewFormSheet

HEADING = "专业技术职务任职资格评审表"
# The employer uploads the signed scan once the application has left the applicant's hands.
SCAN_STATUSES = frozenset(
    {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.RETURNED, ApplicationStatus.APPROVED}
)
PLEDGE = "本人承诺：所填信息及所附材料真实、准确，如有虚假，愿承担相应责任。"


def review_form_get(*, user: User, pk) -> Application:
    """The application whose 评审表 ``user`` may read (404 when out of scope or missing)."""
    return application_selectors.application_get(user=user, pk=pk)


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else EMPTY


def _text(value) -> str:
    value = str(value or "").strip()
    return value or EMPTY


def review_form_sheet(*, user: User, application: Application) -> ReviewFormSheet:
    """The 评审表 of ``application`` as ``user`` prints it: every field filled (``无`` where the
    application has nothing), the 受理号 when the application has been given one, the 证件号码
    as ``user`` may see it (whole for the applicant himself)."""
    app = application
    person = app.person
    birth = f"{person.birth_date:%Y-%m}" if person.birth_date else EMPTY
    office = app.committee.name if app.committee_id else None
    if office is None and app.acceptance_office_id:
        office = app.acceptance_office.organization.name
    fields = [
        ("姓名", person.name),
        ("性别", person.get_gender_display()),
        ("出生年月", birth),
        ("证件号码", person.id_number_for(user)),
        ("工作单位", app.employer.name),
        # 受理号: added by the acceptance step (another module); absent before it exists.
        ("受理号", getattr(app, "acceptance_number", "")),
        ("申报年度", f"{app.year}年"),
        ("取得方式", app.get_acquisition_method_display()),
        ("职称系列", app.title.series.name),
        ("申报职称", f"{app.title.name}（{app.get_level_display()}）"),
        ("申报专业", app.specialty.name),
        ("评审/受理机构", office),
        ("学历", app.get_education_display()),
        ("毕业院校", app.school),
        ("所学专业", app.major),
        ("毕业时间", _date(app.graduation_date)),
        ("参加工作时间", _date(app.work_start_date)),
        ("现职称", app.current_title_name),
        ("现职称取得时间", _date(app.current_title_date)),
        (
            "提交时间",
            f"{timezone.localtime(app.submitted_at):%Y-%m-%d}" if app.submitted_at else EMPTY,
        ),
    ]
    province = getattr(app, "origin_province", "")
    if province:
        fields += [
            ("原发证省份", province),
            ("原证书编号", getattr(app, "origin_certificate_number", "")),
        ]
    experiences = [
        (
            f"{e.start_date:%Y-%m} 至 {e.end_date:%Y-%m}"
            if e.end_date
            else f"{e.start_date:%Y-%m} 至今",
            _text(e.organization_name),
            _text(e.position),
            _text(e.description),
        )
        for e in app.work_experiences.all()
    ]
    route = application_selectors.route_organizations(app)
    opinions = [
        (f"申报人承诺\n{PLEDGE}", "本人签字"),
        (f"用人单位意见\n{app.employer.name}", "单位盖章"),
    ]
    above = route[1:]
    if app.committee_id and above:
        above = above[:-1]  # the committee's organizer: its box is the committee's
    opinions += [(f"{org.name}意见", "盖章") for org in above] or [("主管部门意见", "盖章")]
    if app.committee_id:
        opinions.append((f"{app.committee.name}评审意见", "评委会盖章"))
    return ReviewFormSheet(
        heading=HEADING,
        fields=[(label, _text(value)) for label, value in fields],
        experiences=experiences,
        opinions=opinions,
        footer=(
            f"本表由职称申报评审管理系统根据申报信息生成（申报编号 {app.pk}，"
            f"{timezone.localdate():%Y-%m-%d}），签字盖章后由用人单位上传扫描件。"
        ),
    )


def review_form_scan_list(*, user: User, application_id: int | None = None):
    """The scans ``user`` may see (the applications in their scope), newest first."""
    scans = scoped(ReviewFormScan.objects.select_related("uploaded_by"), user)
    if application_id is not None:
        scans = scans.filter(application_id=application_id)
    return scans.order_by("-uploaded_at", "-pk")


def review_form_scan(*, application: Application) -> ReviewFormScan | None:
    return (
        ReviewFormScan.objects.filter(application=application).select_related("uploaded_by").first()
    )


def scan_upload_problem(*, user: User, application: Application) -> str:
    """Why ``user`` cannot upload the scan of ``application``'s 评审表 ("" when they can): the
    employer's 单位经办 (the first node of the stored route — for 人事代理 the agency), once
    the application is submitted."""
    employer_id = (application.route_chain or [application.employer_id])[0]
    if not user.has_role(Role.EMPLOYER_OFFICER) or user.organization_id != employer_id:
        return "评审表扫描件由用人单位经办上传"
    if application.status not in SCAN_STATUSES:
        return f"申报{application.get_status_display()}，不能上传评审表扫描件"
    return ""


def review_form_panel(*, user: User, application: Application) -> dict:
    """What the application's detail shows of the 评审表: the generated form (everyone in
    scope), the scan side by side with it (reviewers), the upload form (the employer)."""
    scan = review_form_scan(application=application)
    return {
        "app": application,
        "scan": scan,
        "can_upload": not scan_upload_problem(user=user, application=application),
        "side_by_side": scan is not None and not user.is_applicant,
    }
