"""The submission rules of a 职称申报, each refusing with the exact reason.

Called by ``services.application_submit`` / ``application_resubmit`` inside their transaction
(nothing is changed when a rule refuses). The rules read the system's configuration — blacklist,
routes, offices, committees, the 初定 table — without a user scope, as rules must.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhicheng.achievements.selectors import material_missing
from zhicheng.blacklist.services import person_blacklist_block
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title, TitleLevel
from zhicheng.committees.models import Committee, CommitteeOrganizer
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs.selectors import organization_ancestor_ids
from zhicheng.routing.models import RecordStatus

# lint: allow-layer (route resolution is routing's read API, a selector in all but name)
from zhicheng.routing.resolve import RouteChain, route_resolve
from zhicheng.windows.models import ApplicationWindow

from .models import (
    BLOCKING_STATUSES,
    LEVEL_COMMITTEE_KIND,
    OUT_OF_PROVINCE_ATTACHMENTS,
    REQUIRED_ATTACHMENTS,
    Application,
    ApplicationStatus,
    AttachmentCategory,
    Education,
    InitialDeterminationRule,
)

RETIRED = "离退休人员不得申报"


@dataclass(frozen=True)
class ResolvedRoute:
    chain: RouteChain

    @property
    def organization_ids(self) -> list[int]:
        return [node.organization_id for node in self.chain.nodes]


def full_years(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def blacklist_message(entry) -> str:
    return (
        f"您已被列入失信黑名单（原因：{entry.get_reason_display()}，期限：{entry.start_date:%Y-%m-%d}"
        f"至{entry.end_date:%Y-%m-%d}，列入单位：{entry.organization.name}），期限内不得申报职称"
    )


def check_person(app: Application, today: dt.date) -> None:
    entry = person_blacklist_block(app.person, on=today)
    if entry is not None:
        raise ApplicationError(blacklist_message(entry))
    if app.person.is_retired:
        raise ApplicationError(RETIRED)


def check_not_duplicate(app: Application) -> None:
    other = (
        Application.objects.filter(
            person_id=app.person_id,
            title_id=app.title_id,
            year=app.year,
            status__in=BLOCKING_STATUSES,
        )
        .exclude(pk=app.pk)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            f"您已有{app.year}年度“{app.title.name}”的申报（{other.get_status_display()}），"
            "同一年度同一职称不能重复申报"
        )


# 进行中: not yet finished (草稿, 审核中, 已退回), and a 评审 qualified by its committee (审核通过,
# 待评审) that holds no title yet — its evaluation is that year's; 初定/认定 approved means held.
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.RETURNED,
)


def series_root_id(title: Title) -> int:
    """A sub-series (e.g. 工程系列 › 电子) counts as its series."""
    return title.series.parent_id or title.series_id


def open_applications(person_id: int, *, today: dt.date) -> QuerySet[Application]:
    awaiting_evaluation = Q(
        status=ApplicationStatus.APPROVED,
        acquisition_method=AcquisitionMethod.EVALUATION,
        title_holding__isnull=True,
        year__gte=today.year,
    )
    return Application.objects.filter(
        Q(status__in=OPEN_STATUSES) | awaiting_evaluation, person_id=person_id
    )


def check_one_open_per_series(app: Application, today: dt.date) -> None:
    """The one open application rule: a person has at most one 进行中 application per 职称系列,
    whatever its 级别, 取得方式 or year. Titles are climbed one level at a time, so one
    application per series is under way at once (an open 初定 工程师 beside an open 评审 高级工程师
    is refused, as is this year's beside last year's still under review); different series at
    once stay allowed. Checked when a draft is made or changed and again at 提交."""
    root = series_root_id(app.title)
    others = (
        open_applications(app.person_id, today=today)
        .exclude(pk=app.pk)
        .select_related("title__series")
        .order_by("pk")
    )
    other = next((o for o in others if series_root_id(o.title) == root), None)
    if other is None:
        return
    series = Title.objects.select_related("series__parent").get(pk=app.title_id).series
    series_name = (series.parent or series).name.removesuffix("系列")
    state = (
        "审核通过，待评审"
        if other.status == ApplicationStatus.APPROVED
        else other.get_status_display()
    )
    raise ApplicationError(
        f"您已有进行中的{series_name}系列职称申报（{other.year}年度“{other.title.name}”，"
        f"{other.get_acquisition_method_display()}，{state}），"
        "同一职称系列同时只能有一个进行中的申报；请待其办结，或撤回后再申报"
    )


def specialty_problem(title: Title, specialty: Specialty) -> str:
    """申报专业 must come from the 栏目大类 of the title's series (工程 → 工学, 理学, 交叉学科);
    a series with none configured takes any specialty. "" when allowed."""
    series = title.series
    allowed = series.category_ids()
    if not allowed:
        return ""
    category = Specialty.objects.filter(path=specialty.path[: Specialty.steplen], depth=1).first()
    if category is not None and category.pk in allowed:
        return ""
    names = "、".join(
        Specialty.objects.filter(pk__in=allowed).order_by("path").values_list("name", flat=True)
    )
    root = series.parent or series
    return (
        f"申报专业“{specialty.name}”不属于{root.name.removesuffix('系列')}系列可申报的专业"
        f"（可选栏目大类：{names}），请重新选择"
    )


def check_complete(app: Application) -> None:
    missing = [
        label
        for label, value in (
            ("学历", app.education),
            ("毕业院校", app.school),
            ("所学专业", app.major),
            ("毕业时间", app.graduation_date),
            ("参加工作时间", app.work_start_date),
        )
        if not value
    ]
    if app.is_evaluation and app.committee_id is None:
        missing.append("评委会")
    if app.out_of_province:
        missing += [
            label
            for label, value in (
                ("原取得省份", app.origin_province),
                ("原证书编号", app.origin_certificate_number),
            )
            if not value
        ]
    if missing:
        raise ApplicationError(f"请先完善申报信息：{'、'.join(missing)}")
    if app.integrity_pledged_at is None:
        raise ApplicationError("请阅读并勾选诚信承诺后再提交")
    have = set(app.attachments.values_list("category", flat=True))
    required = REQUIRED_ATTACHMENTS + (OUT_OF_PROVINCE_ATTACHMENTS if app.out_of_province else ())
    lacking = [AttachmentCategory(c).label for c in required if c not in have]
    if lacking:
        raise ApplicationError(f"请上传电子档案：{'、'.join(lacking)}")
    # 申报材料清单 of the employer's bureaus for this level and 取得方式: every item named.
    missing_material = material_missing(app)
    if missing_material:
        raise ApplicationError(f"申报材料不齐全，请补充：{'；'.join(missing_material)}")


def committee_problem(
    committee: Committee, *, title: Title, specialty: Specialty, today: dt.date
) -> str:
    """Why ``committee`` cannot take this application today ("" if it can)."""
    name = f"评委会“{committee.name}”"
    if not committee.is_active:
        return f"{name}已注销，不能申报"
    if committee.valid_until < today:
        return f"{name}已过有效期（有效期止 {committee.valid_until:%Y-%m-%d}），不能申报"
    if committee.valid_from > today:
        return f"{name}尚未生效（有效期起 {committee.valid_from:%Y-%m-%d}），不能申报"
    if committee.level != LEVEL_COMMITTEE_KIND[title.level]:
        return (
            f"{name}为{committee.get_level_display()}评委会，"
            f"不评审{TitleLevel(title.level).label}职称"
        )
    if committee.series_id not in {title.series_id, title.series.parent_id}:
        return f"{name}不评审{title.series}系列职称"
    paths = [
        link.specialty.path for link in committee.specialty_links.select_related("specialty").all()
    ]
    if not any(specialty.path.startswith(path) for path in paths):
        return f"{name}的评审专业不包含“{specialty.name}”"
    return ""


def resolve_route(app: Application, today: dt.date) -> ResolvedRoute:
    """The route from the employer to the top, checked against the chosen office/committee."""
    if app.is_evaluation:
        committee = app.committee
        problem = committee_problem(
            committee, title=app.title, specialty=app.specialty, today=today
        )
        if problem:
            raise ApplicationError(problem)
    else:
        office = app.acceptance_office
        if office is not None and office.status != RecordStatus.ACTIVE:
            raise ApplicationError(f"受理机构“{office.organization.name}”已注销，不能申报")
    chain = route_resolve(app.employer_id, app.route_kind, app.level, today=today)
    if not chain.complete or chain.top is None:
        raise ApplicationError(f"审核路径不完整：{chain.missing}")
    top_id = chain.top.organization_id
    if app.is_evaluation:
        organizes = CommitteeOrganizer.objects.filter(
            committee_id=app.committee_id, organization_id=top_id
        ).exists()
        if not organizes:
            raise ApplicationError(
                f"审核路径的顶端“{chain.top.name}”不是评委会“{app.committee.name}”的组建单位，"
                "请选择本单位审核路径对应的评委会"
            )
    else:
        office = app.acceptance_office
        if office is None:
            raise ApplicationError("未找到受理机构，请重新保存申报信息后再提交")
        if office.organization_id != top_id:
            raise ApplicationError(
                f"受理机构已变更为“{chain.top.name}”，请编辑申报、阅读新的申报须知并确认后再提交"
            )
        if app.notice_acknowledged_at is None:
            raise ApplicationError("请阅读并确认受理机构的申报须知后再提交")
    return ResolvedRoute(chain)


def initial_rule_problem(app: Application, today: dt.date) -> str:
    """初定: the education × years table (``InitialDeterminationRule``)."""
    level_label = TitleLevel(app.level).label
    rules = list(InitialDeterminationRule.objects.filter(level=app.level, is_active=True))
    if not rules:
        return f"{level_label}职称不能通过初定取得"
    rule = next((r for r in rules if r.education == app.education), None)
    if rule is None:
        options = "、".join(
            f"{r.get_education_display()}毕业满{r.min_years}年"
            if r.min_years
            else f"{r.get_education_display()}毕业"
            for r in rules
        )
        return (
            f"初定{level_label}职称须具备：{options}；"
            f"您填写的学历为{Education(app.education).label}"
        )
    start = max(d for d in (app.graduation_date, app.work_start_date) if d is not None)
    years = full_years(start, today)
    if years < rule.min_years:
        return (
            f"初定{level_label}职称须{rule.get_education_display()}毕业后从事专业技术工作满"
            f"{rule.min_years}年，您自{start:%Y-%m-%d}起仅满{years}年"
        )
    return ""


def check_window(app: Application, now: dt.datetime) -> ApplicationWindow | None:
    """申报批次: a 评审 is submitted inside an open window of its 年度, 职称系列 (a sub-series
    counts as its series) and 级别, opened by a bureau above the employer (or by the employer's
    own); open means ``opens_at <= now < closes_at``. Answers that window (the application records
    it), or None when the rule does not apply: 初定/认定 are not windowed, and — the transition
    rule — where no bureau above the employer has configured any window for that series and year,
    submissions stay allowed as before windows existed."""
    if not app.is_evaluation:
        return None
    title = app.title
    series_ids = {title.series_id, title.series.parent_id} - {None}
    bureaus = organization_ancestor_ids([app.employer_id])
    configured = ApplicationWindow.objects.filter(
        organization_id__in=bureaus, year=app.year, series_id__in=series_ids
    )
    if not configured.exists():
        return None
    windows = configured.filter(level=app.level)
    current = windows.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at").first()
    if current is not None:
        return current
    what = f"{app.year}年度{TitleLevel(app.level).label}“{title.name}”"
    upcoming = windows.filter(opens_at__gt=now).order_by("opens_at").first()
    if upcoming is not None:
        raise ApplicationError(
            f"{what}的申报批次“{upcoming.name}”尚未开始，申报时间为 {upcoming.period_display}，"
            "请在申报时间内提交"
        )
    past = windows.order_by("-closes_at").first()
    if past is not None:
        raise ApplicationError(
            f"{what}的申报批次“{past.name}”已结束，申报时间为 {past.period_display}，"
            "当前没有开放的申报批次"
        )
    raise ApplicationError(f"当前没有开放的申报批次：{what}本年度未开设申报批次，不能提交")


def check_submission(app: Application, today: dt.date) -> ResolvedRoute:
    """Every rule, in the order an applicant would fix them; returns the resolved route."""
    check_person(app, today)
    check_not_duplicate(app)
    check_one_open_per_series(app, today)
    check_complete(app)
    route = resolve_route(app, today)
    if app.acquisition_method == AcquisitionMethod.INITIAL:
        problem = initial_rule_problem(app, today)
        if problem:
            raise ApplicationError(problem)
    return route
