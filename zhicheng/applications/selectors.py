"""Reads of 职称申报, always through the data scope.

- An applicant sees only their own applications (drafts included) and attachments.
- An officer sees the applications whose stored route passes through their subtree (never
  drafts, which have no route yet); 待审核 is what waits at exactly their organization.
- A committee account sees the 评审 applications addressed to its committee; its 待审核 is
  what has reached the top of the route.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist.models import BlacklistEntry
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.list_page import COUNT_CAP
from zhicheng.common.query import clean_text, id_or_none
from zhicheng.common.scoping import (
    get_or_404,
    get_scoped_or_404,
    scoped,
    scoped_through_closure,
)
from zhicheng.orgs.models import EMPLOYER_ORG_TYPES, Organization, OrgStatus
from zhicheng.persons.models import normalize_id_number
from zhicheng.persons.selectors import filter_by_name, is_surname

# lint: allow-layer (申报须知 is shown as routing renders it, one safe formatter)
from zhicheng.routing.notice import notice_html
from zhicheng.routing.selectors import acceptance_office_for

from .models import (
    APPLICATION_METHODS,
    COMMITTEE_TURN,
    LEVEL_COMMITTEE_KIND,
    OFFICERS_TURN,
    Application,
    ApplicationStatus,
    Attachment,
    ReviewAction,
    ReviewRecord,
)
from .rules import committee_problem

EMPLOYER_SEARCH_LIMIT = 20

LIST_RELATED = (
    "person",
    "title",
    "specialty",
    "employer",
    "current_organization",
    "returned_from",
    "committee",
    "window",
)


class Scope:
    TODO = "todo"
    RETURNED = "returned"
    ALL = "all"
    CHOICES = ((TODO, "待我审核"), (RETURNED, "上级退回待处理"), (ALL, "全部"))


def _blacklisted(today: dt.date) -> Exists:
    return Exists(BlacklistEntry.objects.in_force(today).filter(person_id=OuterRef("person_id")))


def waiting_for(user: User) -> Q:
    """The applications waiting for ``user`` to act (before the scope is applied)."""
    if user.is_committee:
        return (
            Q(status=ApplicationStatus.UNDER_REVIEW) & COMMITTEE_TURN & Q(committee__account=user)
        )
    if user.is_officer and user.organization_id:
        # The very condition of the partial index app_officers_turn, so that it is used.
        return OFFICERS_TURN & Q(current_organization_id=user.organization_id)
    return Q(pk__in=[])


def _visible(user: User) -> QuerySet[Application]:
    qs = scoped(Application.objects.all(), user)
    if not user.is_applicant:
        # Never submitted (drafts, and drafts withdrawn): not for reviewers' eyes. Said as
        # "has a submission time" because the lists' index is on it: in a descending index
        # NULLs come first, and a status test would read past every draft on each page.
        qs = qs.filter(submitted_at__isnull=False)
    return qs


def application_list(
    *,
    user: User,
    scope: str = Scope.ALL,
    name: str = "",
    id_number: str = "",
    title: Title | int | None = None,
    level: str = "",
    acquisition_method: str = "",
    year: int | None = None,
    status: str = "",
    window: int | None = None,
    today: dt.date | None = None,
    capped: bool = True,
) -> QuerySet[Application]:
    """The 1.12 / 1.24 query: scope (待我审核 / 上级退回待处理 / 全部) and the filters 姓名
    (a surname, or two or more characters anywhere in the name), 身份证号 (the full number; a prefix for holders of
    ``accounts.view_full_id_number``, so masked digits cannot be probed), 职称, 级别, 取得方式,
    年度, 状态, 申报批次. Newest submission first; blacklisted applicants flagged (``is_blacklisted``).
    ``capped``: the count stops at ``COUNT_CAP`` (list pages); exports count everything."""
    name, id_number = clean_text(name, max_length=50), clean_text(id_number, max_length=32)
    # A filter on the person is counted from the persons' side (ApplicationQuerySet.count).
    count_in_order = not (name or id_number)
    # The columns the scope nodes copy (ApplicationRouteNode.COPIED_FIELDS): for an officer's
    # whole scope they are filtered on the node of the officer's organization, which an index
    # lists newest first; otherwise on the application.
    copied = {"title": title, "level": level, "acquisition_method": acquisition_method}
    copied = {field: value for field, value in copied.items() if value}
    if year:
        copied["year"] = year
    qs = None
    if scope == Scope.ALL:
        on_node = dict(copied, submitted_at__isnull=False)
        if name and is_surname(name):
            on_node["person__name__startswith"] = name
        qs = scoped_through_closure(Application.objects.all(), user, **on_node)
        if qs is not None:
            order = ("-route_nodes__submitted_at", "-pk")
            if "person__name__startswith" in on_node:
                name = ""
    if qs is None:
        qs = _visible(user)
        if scope in (Scope.TODO, Scope.RETURNED):
            qs = qs.filter(waiting_for(user))
            if scope == Scope.RETURNED:
                qs = qs.filter(returned_from__isnull=False)
        qs = qs.filter(**copied)
        order = ("-submitted_at", "-pk")
    if name:
        qs = filter_by_name(qs, name, field="person__name")
    if id_number:
        number = normalize_id_number(id_number)
        if user.has_perm("accounts.view_full_id_number"):
            qs = qs.filter(person__id_number__startswith=number)
        else:
            qs = qs.filter(person__id_number=number)
    if status:
        qs = qs.filter(status=status)
    if window:
        qs = qs.filter(window_id=window)
    qs = (
        qs.select_related(*LIST_RELATED)
        .annotate(is_blacklisted=_blacklisted(today or timezone.localdate()))
        .order_by(*order)
    )
    if not capped:
        return qs
    return qs.as_list_page(count_cap=COUNT_CAP, count_in_order=count_in_order)


def application_todo_summary(*, user: User, overdue_days: int) -> dict[str, int]:
    """待办 on the officers' home: what waits for ``user`` (待审核), how much of it a superior
    returned (退回待处理), and how much has waited more than ``overdue_days`` since it reached
    this level (its latest review step)."""
    waiting = _visible(user).filter(waiting_for(user))
    since = timezone.now() - dt.timedelta(days=overdue_days)
    arrived = ReviewRecord.objects.filter(application=OuterRef("pk")).order_by("-created_at")
    counts = waiting.annotate(arrived_at=Subquery(arrived.values("created_at")[:1])).aggregate(
        todo=Count("pk"),
        returned=Count("pk", filter=Q(returned_from__isnull=False)),
        overdue=Count("pk", filter=Q(arrived_at__lt=since)),
    )
    return {key: value or 0 for key, value in counts.items()}


def application_status_counts(*, user: User, year: int) -> list[tuple[str, int]]:
    """This year's submitted applications of the scope by status (the home page's chart), in
    the statuses' order."""
    rows = dict(
        _visible(user).filter(year=year).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [
        (label, rows.get(value, 0))
        for value, label in ApplicationStatus.choices
        if value != ApplicationStatus.DRAFT
    ]


def application_waiting_count(*, user: User) -> int:
    return _visible(user).filter(waiting_for(user)).as_list_page(count_cap=COUNT_CAP).count()


def applications_of_applicant(*, user: User) -> QuerySet[Application]:
    """我的申报: the applicant's own applications, newest first."""
    if not user.is_applicant:
        return Application.objects.none()
    return (
        scoped(Application.objects.select_related(*LIST_RELATED, "acceptance_office"), user)
        .annotate(is_blacklisted=_blacklisted(timezone.localdate()))
        .order_by("-created_at", "-pk")
    )


def application_id_visible(*, user: User, pk) -> int:
    """The id of an application ``user`` may see (404 otherwise), read with one light query:
    a business action loads and locks the row itself."""
    return get_or_404(_visible(user).values_list("pk", flat=True), pk)


def application_get(*, user: User, pk) -> Application:
    qs = _visible(user).select_related(
        *LIST_RELATED,
        "title__series",
        "applicant",
        "acceptance_office",
        "acceptance_office__organization",
    )
    app = get_or_404(qs, pk)
    app.blacklist_entry = (
        BlacklistEntry.objects.in_force(timezone.localdate())
        .filter(person_id=app.person_id)
        .select_related("organization")
        .first()
    )
    app.is_blacklisted = app.blacklist_entry is not None
    return app


# What the API's 详情 reads of the related rows (``ApplicationDetailSerializer`` and the
# ``can_review`` / ``where_now`` it calls): their names, the person's number, account and
# mobile (masking, the own-application test) and the committee's account (its turn). The rest
# of those wide rows (paths, codes, timestamps) is neither sent nor converted. A field read but
# missing here would cost a query per use: the API's tests refuse any deferred load.
DETAIL_RELATED_FIELDS = (
    "person__name",
    "person__id_number",
    "person__user",
    "person__mobile",
    "title__name",
    "specialty__name",
    "employer__name",
    "committee__name",
    "committee__account",
    "current_organization__name",
    "returned_from__name",
    "acceptance_office__organization__name",
)
# What the API reads of each attachment in its list (``AttachmentSerializer``).
ATTACHMENT_FIELDS = (
    "id",
    "application",
    "category",
    "original_name",
    "content_type",
    "size",
    "uploaded_at",
)


def application_detail(*, user: User, pk) -> Application:
    """One application as the API's 详情 shows it: the row with the names of its related rows
    and ``is_blacklisted`` in one statement (the pages' ``application_get`` reads the whole
    related rows and the blacklist entry itself, which they show). 404 out of scope, as
    ``application_get``. The work history and the attachments are read by the serializer, one
    statement each: a ``prefetch_related`` costs more than it saves for one row (measured)."""
    own = [field.name for field in Application._meta.concrete_fields]
    qs = (
        _visible(user)
        .select_related(*{lookup.rsplit("__", 1)[0] for lookup in DETAIL_RELATED_FIELDS})
        .only(*own, *DETAIL_RELATED_FIELDS)
        .annotate(is_blacklisted=_blacklisted(timezone.localdate()))
    )
    return get_or_404(qs, pk)


def application_timeline(*, application: Application) -> list[ReviewRecord]:
    """过程跟踪: every step of an application already fetched through the scope."""
    return list(
        application.review_records.select_related(
            "application__committee",
            "organization",
            "from_organization",
            "to_organization",
            "actor",
        ).order_by("created_at", "pk")
    )


def route_organizations(application: Application) -> list[Organization]:
    """The stored route as organizations, in order (employer first)."""
    ids = list(application.route_chain or [])
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def attachment_list(*, application: Application) -> QuerySet[Attachment]:
    return application.attachments.select_related("uploaded_by").order_by(
        "category", "uploaded_at", "pk"
    )


def attachment_list_of(*, application_id: int) -> QuerySet[Attachment]:
    """The attachments of an application whose id the caller checked (``application_id_visible``),
    as the API lists them: without the uploader (the pages show who uploaded), and without
    reading the application itself."""
    return (
        Attachment.objects.filter(application_id=application_id)
        .only(*ATTACHMENT_FIELDS)
        .order_by("category", "uploaded_at", "pk")
    )


def attachment_get(*, user: User, pk) -> Attachment:
    """An attachment of an application the user may see (404 otherwise; never drafts of
    others)."""
    attachment = get_scoped_or_404(Attachment.objects.select_related("application"), user, pk)
    if attachment.application.status == ApplicationStatus.DRAFT and not user.is_applicant:
        raise Http404("记录不存在或无权访问")
    return attachment


def applicant_messages(*, user: User, limit: int = 30) -> list[ReviewRecord]:
    """The messages an applicant receives: every officer's or committee's step on their
    applications (returns with opinions, approvals), newest first."""
    if not user.is_applicant:
        return []
    return list(
        scoped(ReviewRecord.objects.all(), user)
        .exclude(actor=user)
        .exclude(action__in=(ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.WITHDRAW))
        .select_related(
            "application",
            "application__title",
            "application__committee",
            "organization",
            "to_organization",
        )
        .order_by("-created_at", "-pk")[:limit]
    )


def qualified_applications(*, committee: Committee, year: int | None = None):
    """评审 applications approved at the top of their route: the persons qualified for the
    committee's evaluation (for the 呈报方案 of 1.13). Internal: the caller scopes the
    committee."""
    qs = Application.objects.filter(
        committee=committee,
        acquisition_method=AcquisitionMethod.EVALUATION,
        status=ApplicationStatus.APPROVED,
    ).select_related("person", "title", "specialty", "employer")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("decided_at", "pk")


# --- what the new-application form offers ---------------------------------------------------


def employer_search(*, search: str) -> list[Organization]:
    """用人单位 for the applicant's form: active employers by name, USCC prefix or pinyin
    initials (employers are public: an applicant may work anywhere in the province)."""
    term = clean_text(search, max_length=100)
    if not term:
        return []
    match = Q(name__contains=term)
    if term.isascii():
        match |= Q(uscc__startswith=term.upper()) | Q(name_initials__contains=term.lower())
    found = list(
        Organization.objects.filter(match, org_type__in=EMPLOYER_ORG_TYPES, status=OrgStatus.ACTIVE)
        .order_by()
        .only("id", "path", "depth", "name", "uscc", "org_type", "region_code", "status")[
            :EMPLOYER_SEARCH_LIMIT
        ]
    )
    found.sort(key=lambda org: org.path)
    return found


def employer_get(pk) -> Organization | None:
    pk = id_or_none(pk)
    if pk is None:
        return None
    return Organization.objects.filter(
        pk=pk, org_type__in=EMPLOYER_ORG_TYPES, status=OrgStatus.ACTIVE
    ).first()


def eligible_committees(
    *, title: Title, specialty: Specialty, today: dt.date | None = None
) -> list[Committee]:
    """评审: committees of the title's series and level, accepting work, reviewing the
    specialty (or one of its ancestors)."""
    today = today or timezone.localdate()
    candidates = (
        Committee.objects.accepting_work(today)
        .filter(
            level=LEVEL_COMMITTEE_KIND[title.level],
            series_id__in=[pk for pk in (title.series_id, title.series.parent_id) if pk],
        )
        .select_related("series", "organization")
        .order_by("name", "pk")
    )
    return [
        c
        for c in candidates
        if not committee_problem(c, title=title, specialty=specialty, today=today)
    ]


def specialty_get(pk) -> Specialty | None:
    """The 申报专业 chosen on the form (the catalogue is public), or None."""
    pk = id_or_none(pk)
    return Specialty.objects.filter(pk=pk).first() if pk else None


def specialty_choices(series_id: int | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Specialties grouped by 栏目大类, for a select (categories themselves not selectable);
    with ``series_id`` only the series' 栏目大类 (``TitleSeries.category_ids``)."""
    from zhicheng.catalog.models import TitleSeries

    series = TitleSeries.objects.filter(pk=series_id).first() if series_id else None
    allowed = series.category_ids() if series is not None else set()
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] | None = None
    for node in Specialty.objects.order_by("path").only("id", "code", "name", "depth", "path"):
        if node.depth == 1:
            current = []
            if not allowed or node.pk in allowed:
                groups.append((node.name, current))
        elif current is not None:
            indent = "　" * (node.depth - 2)
            current.append((node.pk, f"{indent}{node.name}（{node.code}）"))
    return [(name, items) for name, items in groups if items]


def application_options(params) -> dict:
    """What the new-application form offers for the choices made so far."""
    method = params.get("acquisition_method", "")
    title = (
        Title.objects.select_related("series").filter(pk=id_or_none(params.get("title"))).first()
    )
    specialty = Specialty.objects.filter(pk=id_or_none(params.get("specialty"))).first()
    employer = employer_get(params.get("employer"))
    result: dict = {"acceptance_office": None, "committees": []}
    if title is None or method not in APPLICATION_METHODS:
        return result
    if method == AcquisitionMethod.EVALUATION:
        if specialty is not None:
            result["committees"] = [
                {"id": c.pk, "name": c.name, "level_display": c.get_level_display()}
                for c in eligible_committees(title=title, specialty=specialty)
            ]
    elif employer is not None:
        office = acceptance_office_for(
            employer=employer, level=title.level, acquisition_method=method
        )
        if office is not None:
            result["acceptance_office"] = {
                "id": office.pk,
                "name": office.organization.name,
                "notice": office.notice,
                "notice_html": str(notice_html(office.notice)),
            }
    return result
