"""Reads of issuing units (1.9) and of their certificate number pools (1.16), always through
``scoped``: a bureau sees the issuing units (and their numbers) of the organizations in its
subtree; the province bureau sees all."""

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from django.db import router
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateStatus,
    IssueJob,
    IssuingUnit,
    IssuingUnitStatus,
    NationalReport,
    NationalReportKind,
    NationalReportStatus,
    VerificationRecord,
)
from zhicheng.common.db import prepared_cursor
from zhicheng.common.list_page import COUNT_CAP
from zhicheng.common.query import id_or_none
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.common.timeline import TimelineEvent
from zhicheng.persons.selectors import filter_by_name
from zhicheng.titles import selectors as title_selectors

if TYPE_CHECKING:
    from zhicheng.certificates.models import CertificateReissue
    from zhicheng.titles.models import TitleHolding

TYPEAHEAD_LIMIT = 20


def issuing_unit_list(
    *,
    user: User,
    code: str = "",
    name: str = "",
    status: str = "",
    organization_id=None,
) -> QuerySet[IssuingUnit]:
    qs = scoped(IssuingUnit.objects.select_related("organization", "deregistered_by"), user)
    if code.strip():
        qs = qs.filter(code__startswith=code.strip())
    if name.strip():
        qs = qs.filter(organization__name__contains=name.strip())
    if status:
        qs = qs.filter(status=status)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("code")


def issuing_unit_get(*, user: User, pk) -> IssuingUnit:
    return get_scoped_or_404(
        IssuingUnit.objects.select_related("organization", "deregistered_by", "created_by"),
        user,
        pk,
    )


def issuing_unit_choice(*, user: User, pk) -> IssuingUnit | None:
    """The issuing unit a form posted (an id from the typeahead), if it is in ``user``'s scope."""
    unit_id = id_or_none(pk)
    if unit_id is None:
        return None
    return (
        scoped(IssuingUnit.objects.select_related("organization"), user).filter(pk=unit_id).first()
    )


def issuing_unit_typeahead(
    *, user: User, search: str, active_only: bool = True
) -> list[IssuingUnit]:
    """录入发证单位名称，回车查询，支持模糊查询 (1.16): unit name substring or code prefix.
    Deregistered units are left out: they cannot be chosen for new work."""
    term = (search or "").strip()
    if not term:
        return []
    qs = scoped(IssuingUnit.objects.select_related("organization"), user).filter(
        Q(organization__name__contains=term) | Q(code__startswith=term)
    )
    if active_only:
        qs = qs.filter(status=IssuingUnitStatus.ACTIVE)
    return list(qs.order_by("code")[:TYPEAHEAD_LIMIT])


def certificate_number_list(
    *,
    user: User,
    issuing_unit_id: int | None = None,
    name: str = "",
    number: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[CertificateNumber]:
    """证书编号库 (1.16 查询): by 发证单位 (chosen, or its name), 证书编号 (prefix), 年度, 状态;
    in number order, which is unit, year and sequence order."""
    qs = scoped(
        CertificateNumber.objects.select_related("issuing_unit__organization", "batch__created_by"),
        user,
    )
    if issuing_unit_id:
        qs = qs.filter(issuing_unit_id=issuing_unit_id)
    if name.strip():
        qs = qs.filter(issuing_unit__organization__name__contains=name.strip())
    if number.strip():
        qs = qs.filter(number__startswith=number.strip())
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("number")


# --- 1.17 证书发放 ---------------------------------------------------------------------------


def holding_issue_list(
    *, user: User, name: str = "", issued: str = "", title_name: str = ""
) -> "QuerySet[TitleHolding]":
    """证书发放: the 取得职称 of the officer's scope (by the approving organization), with their
    certificate if any; 是否发放 ``"0"`` / ``"1"``, 姓名, 职称."""
    qs = title_selectors.title_holdings(user=user, in_force=True).select_related(
        "certificate__number"
    )
    if name.strip():
        qs = filter_by_name(qs, name, field="person__name")
    if title_name.strip():
        qs = qs.filter(title__name__contains=title_name.strip())
    if issued in ("0", "1"):
        qs = qs.filter(certificate__isnull=issued == "0")
    # A list page only (ListPageQuerySet): the count capped, the page read by its ids first.
    qs = qs.order_by("-approved_on", "-pk")
    return qs.as_list_page(count_cap=COUNT_CAP, count_in_order=not name.strip())


def certificate_get(*, user: User, pk) -> Certificate:
    """One certificate of ``user``'s scope; a holder does not see his while it is 生成中."""
    qs = Certificate.objects.select_related("number", "holding__person", "issuing_unit")
    if not user.has_perm(VIEW):
        qs = qs.exclude(status=CertificateStatus.PENDING)
    return get_scoped_or_404(qs, user, pk)


def certificate_file_get(*, user: User, pk) -> Certificate:
    """The certificate whose signed PDF ``user`` may open: one 生成中 has none yet (404). An
    employer (本单位人员证书) opens those of its people."""
    if user.has_perm(VIEW_EMPLOYEE) and not certificates_viewable(user):
        from zhicheng.common.scoping import get_or_404

        return get_or_404(employee_certificate_list(user=user), pk)
    return get_scoped_or_404(
        Certificate.objects.select_related("number", "holding__person", "issuing_unit").exclude(
            status=CertificateStatus.PENDING
        ),
        user,
        pk,
    )


@dataclass(frozen=True)
class CertificateVerification:
    """What 证书核验 (page and API) shows of one certificate: plain values of one row, the
    证件号码 already masked (the whole number never leaves the selector)."""

    certificate_id: int
    number: str
    name: str
    masked_id_number: str
    status: str
    copy: int
    title: str
    level: str
    issuing_unit: str
    issued_at: datetime

    @property
    def level_display(self) -> str:
        return TitleLevel(self.level).label if self.level in TitleLevel.values else self.level

    @property
    def issued_on(self) -> date:
        """The issue date, local time (the date printed on the certificate)."""
        return timezone.localdate(self.issued_at)

    @property
    def issued_on_text(self) -> str:
        # As the certificate prints it; the template's date filter cost 0.04 ms a scan.
        return f"{self.issued_on:%Y年%m月%d日}"


# The columns read, in the order of CertificateVerification's fields.
_VERIFY_FIELDS = (
    "certificate_id",
    "number",
    "holder_name",
    "masked_id_number",
    "certificate_status",
    "copy",
    "title",
    "level",
    "issuing_unit",
    "issued_at",
)
_NUMBER_SLOT, _NAME_SLOT = "\x00number\x00", "\x00name\x00"


@functools.cache
def _verify_sql(alias: str) -> tuple[str, tuple]:
    """The verification query compiled once per process and database: it is the busiest public
    read (one per QR scan), and Django compiles a query anew on every call. Built by the ORM
    with stand-ins for the two inputs, so it follows the model."""
    query = (
        VerificationRecord.objects.using(alias)
        .filter(number=_NUMBER_SLOT, holder_name=_NAME_SLOT)
        .values_list(*_VERIFY_FIELDS)
        .order_by()[:1]
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


def _aware(value: datetime | str) -> datetime:
    # PostgreSQL answers an aware datetime; SQLite its stored UTC text (the ORM's converters
    # are not applied to the precompiled query).
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def certificate_verify(*, number: str, name: str) -> CertificateVerification | None:
    """Public verification (no login): the certificate whose number and holder's name (as
    printed on it) both match exactly, or None — a wrong name tells nothing about the number.
    Read from 证书核验's own table (``models_verification``): a certificate still 生成中 has no
    row there."""
    number, name = (number or "").strip(), (name or "").strip()
    if not number or not name or len(number) > 18 or len(name) > 50:
        return None
    alias = router.db_for_read(VerificationRecord)
    sql, params = _verify_sql(alias)
    values = {_NUMBER_SLOT: number, _NAME_SLOT: name}
    # Prepared on PostgreSQL: planned once per connection, not on every scan.
    with prepared_cursor(alias) as cursor:
        cursor.execute(sql, [values.get(p, p) if isinstance(p, str) else p for p in params])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, number, name, masked_id_number, status, copy, title, level, unit, issued_at = row
    return CertificateVerification(
        certificate_id=pk,
        number=number,
        name=name,
        masked_id_number=masked_id_number,
        status=status,
        copy=copy,
        title=title,
        level=level,
        issuing_unit=unit,
        issued_at=_aware(issued_at),
    )


def scoped_certificates(queryset: QuerySet[Certificate], user: User) -> QuerySet[Certificate]:
    """``scoped`` for certificates, an officer's scope resolved to its issuing units' ids
    first. The rows are the same (an officer's scope is the issuing units of his subtree); the
    plan is not: the planner knows from the certificates' own statistics how many the listed
    units hold and walks the newest-first index, where a join on the organizations' path
    (a table too small for autovacuum ever to analyze) made it sort a city's million."""
    if user.is_officer and user.organization_id:
        units = scoped(IssuingUnit.objects.all(), user).values_list("pk", flat=True)
        return queryset.filter(issuing_unit_id__in=list(units))
    return scoped(queryset, user)


def certificate_list(
    *,
    user: User,
    name: str = "",
    number: str = "",
    status: str = "",
    issuing_unit_name: str = "",
    capped: bool = True,
) -> QuerySet[Certificate]:
    """证书查询 (1.20) and 证书撤销 (1.19): the certificates of the officer's scope (by the
    issuing unit) — 姓名, 证书编号 (prefix), 状态, 发证单位; newest first. ``capped``: a list
    page (``ListPageQuerySet``: the count stops at ``COUNT_CAP``, the page is read by its ids
    first); exports count everything."""
    qs = scoped_certificates(
        Certificate.objects.select_related(
            "number",
            "holding__person",
            "holding__title",
            "issuing_unit__organization",
            "revoked_by",
        ),
        user,
    )
    if not user.has_perm(VIEW):  # a holder: his certificate once it is issued, not 生成中
        qs = qs.exclude(status=CertificateStatus.PENDING)
    if name.strip():
        qs = filter_by_name(qs, name, field="holding__person__name")
    if number.strip():
        qs = qs.filter(number__number__startswith=number.strip())
    if status:
        qs = qs.filter(status=status)
    if issuing_unit_name.strip():
        qs = qs.filter(issuing_unit__organization__name__contains=issuing_unit_name.strip())
    qs = qs.order_by("-issued_at", "-pk")
    if not capped:
        return qs
    # A name is counted from the persons' side, not by walking the certificates newest first.
    return qs.as_list_page(count_cap=COUNT_CAP, count_in_order=not name.strip())


VIEW = "certificates.view_certificate"
VIEW_OWN = "certificates.view_own_certificate"


def certificates_viewable(user: User) -> bool:
    """Who may open certificates at all: officers of the issuing side see their scope's, a
    holder sees his own (``scoped`` keeps each to their rows)."""
    return user.has_perm(VIEW) or user.has_perm(VIEW_OWN)


def holder_certificates(*, user: User) -> list[Certificate]:
    """我的证书: the certificates the applicant holds (revoked ones too, marked so)."""
    if not user.has_perm(VIEW_OWN):
        return []
    certificates = list(
        scoped(
            Certificate.objects.select_related(
                "number", "holding__person", "holding__title", "issuing_unit__organization"
            ),
            user,
        )
        .exclude(status=CertificateStatus.PENDING)
        .order_by("-issued_at", "-pk")
    )
    # 证书遗失补发: each certificate's latest request (申请补发 / 待补发 / 不予补发).
    latest = holder_reissues(user=user)
    for certificate in certificates:
        certificate.latest_reissue = latest.get(certificate.pk)
    return certificates


def certificate_for_application(*, user: User, application) -> Certificate | None:
    """The certificate issued for the title an application led to, if ``user`` may see it."""
    if not certificates_viewable(user):
        return None
    return (
        scoped(Certificate.objects.select_related("number", "issuing_unit__organization"), user)
        .filter(holding__application=application)
        .exclude(status=CertificateStatus.PENDING)
        .first()
    )


@dataclass(frozen=True)
class CertificateEvent:
    """A message to the holder: his certificate was issued, or revoked."""

    kind: str  # "issued" | "revoked"
    created_at: datetime
    certificate: Certificate


def holder_certificate_events(certificates: list[Certificate]) -> list[CertificateEvent]:
    events = [CertificateEvent("issued", c.issued_at, c) for c in certificates]
    events += [
        CertificateEvent("revoked", c.revoked_at, c)
        for c in certificates
        if c.status == CertificateStatus.REVOKED and c.revoked_at
    ]
    return events


def application_certificate_events(*, application) -> list[TimelineEvent]:
    """过程跟踪: the certificate issued for the title ``application`` led to, and its revocation
    (the caller has fetched the application through its scope)."""
    certificate = (
        Certificate.objects.select_related(
            "number", "issuing_unit__organization", "issued_by", "revoked_by"
        )
        .filter(holding__application=application)
        .exclude(status=CertificateStatus.PENDING)
        .first()
    )
    if certificate is None:
        return []
    unit = certificate.issuing_unit.organization.name
    events = [
        TimelineEvent(
            created_at=certificate.issued_at,
            reviewer_name=unit,
            actor_name=str(certificate.issued_by),
            action="certificate_issue",
            label="证书发放",
            opinion=f"证书编号 {certificate.number.number}",
            destination_text="已发证",
        )
    ]
    if certificate.status == CertificateStatus.REVOKED and certificate.revoked_at:
        events.append(
            TimelineEvent(
                created_at=certificate.revoked_at,
                reviewer_name=unit,
                actor_name=str(certificate.revoked_by or ""),
                action="certificate_revoke",
                label="证书撤销",
                opinion=certificate.revoke_reason,
                destination_text="证书已撤销",
            )
        )
    return events


def holdings_awaiting_certificate_count(*, user: User) -> int:
    """待发证 on the officers' home: the 取得职称 of the scope with no certificate yet."""
    if not user.has_perm(VIEW):
        return 0
    return (
        title_selectors.title_holdings(user=user, in_force=True)
        .filter(certificate__isnull=True)
        .count()
    )


# --- 1.18 证书报送人社部 ------------------------------------------------------------------------

REPORT_NONE = "none"  # 未上报: no outbox row yet
REPORT_STATUS_CHOICES = ((REPORT_NONE, "未上报"), *NationalReportStatus.choices)


def _report_row(field: str):
    """A column of the certificate's outbox row that tells its state best: a 失败 row first
    (it needs 重新上报), else the newest (the 撤销 row once there is one)."""
    rows = NationalReport.objects.filter(certificate=OuterRef("pk")).order_by(
        Case(When(status=NationalReportStatus.FAILED, then=0), default=1), "-pk"
    )
    return Subquery(rows.values(field)[:1])


def national_report_list(
    *,
    user: User,
    name: str = "",
    number: str = "",
    issuing_unit_name: str = "",
    issued_from: date | None = None,
    issued_to: date | None = None,
    report_status: str = "",
) -> QuerySet[Certificate]:
    """证书报送人社部 (1.18): the certificates of the officer's scope (not 生成中) with their report
    state annotated (``report_kind``, ``report_status``, ``report_attempts``, ``report_error``,
    ``report_next_at``, ``report_delivered_at``; None when 未上报) — 姓名, 证书编号 (prefix),
    发证单位, 发证日期 from/to, 上报状态; 未上报 first, then newest."""
    if not user.has_perm(VIEW):
        return Certificate.objects.none()
    qs = (
        scoped_certificates(
            Certificate.objects.select_related(
                "number", "holding__person", "holding__title", "issuing_unit__organization"
            ),
            user,
        )
        .exclude(status=CertificateStatus.PENDING)
        .annotate(
            report_kind=_report_row("kind"),
            report_status=_report_row("status"),
            report_attempts=_report_row("attempts"),
            report_error=_report_row("last_error"),
            report_next_at=_report_row("next_attempt_at"),
            report_delivered_at=_report_row("delivered_at"),
        )
    )
    if name.strip():
        qs = filter_by_name(qs, name, field="holding__person__name")
    if number.strip():
        qs = qs.filter(number__number__startswith=number.strip())
    if issuing_unit_name.strip():
        qs = qs.filter(issuing_unit__organization__name__contains=issuing_unit_name.strip())
    if issued_from:
        qs = qs.filter(issued_at__date__gte=issued_from)
    if issued_to:
        qs = qs.filter(issued_at__date__lte=issued_to)
    if report_status == REPORT_NONE:
        qs = qs.filter(report_status__isnull=True)
    elif report_status:
        # Any of its rows (a 失败 发证 row behind a waiting 撤销 row counts as 失败 too).
        qs = qs.filter(
            Exists(NationalReport.objects.filter(certificate=OuterRef("pk"), status=report_status))
        )
    return qs.order_by(
        Case(When(report_status__isnull=True, then=0), default=1), "-issued_at", "-pk"
    )


def certificates_awaiting_report_count(*, user: User) -> int:
    """待上报 on the officers' home: certificates issued in the scope, not yet reported."""
    if not user.has_perm("certificates.report_certificate"):
        return 0
    return (
        scoped(Certificate.objects.all(), user)
        .exclude(status=CertificateStatus.PENDING)
        .exclude(national_reports__kind=NationalReportKind.ISSUE)
        .count()
    )


# --- 1.17 批量发放证书 jobs ------------------------------------------------------------------------


def issue_job_get(*, user: User, pk) -> IssueJob:
    """One 批量发放证书 job of ``user``'s scope (by its issuing unit), or 404."""
    return get_scoped_or_404(
        IssueJob.objects.select_related("issuing_unit__organization", "created_by"), user, pk
    )


def issue_job_list(*, user: User, mine: bool = True, limit: int = 20) -> list[IssueJob]:
    """The latest jobs of ``user``'s scope, newest first (``mine``: those ``user`` started)."""
    qs = scoped(
        IssueJob.objects.select_related("issuing_unit__organization", "created_by"), user
    ).defer("holding_ids", "failures")
    if mine:
        qs = qs.filter(created_by=user)
    return list(qs.order_by("-created_at", "-pk")[:limit])


def issue_jobs_scoped(*, user: User) -> QuerySet[IssueJob]:
    """The jobs of ``user``'s scope, newest first (the API's list)."""
    return scoped(
        IssueJob.objects.select_related("issuing_unit__organization", "created_by"), user
    ).order_by("-created_at", "-pk")


# --- 证书遗失补发 / 单位人员证书 ---------------------------------------------------------------

VIEW_EMPLOYEE = "certificates.view_employee_certificate"


def reissue_list(
    *, user: User, name: str = "", number: str = "", status: str = ""
) -> "QuerySet[CertificateReissue]":
    """补发申请: those of the certificates of the officer's scope (by the issuing unit), open
    ones first, newest first."""
    from zhicheng.certificates.models import CertificateReissue, ReissueStatus

    qs = scoped(
        CertificateReissue.objects.select_related(
            "certificate__number",
            "certificate__holding__person",
            "certificate__holding__title",
            "certificate__issuing_unit__organization",
            "requested_by",
            "decided_by",
        ),
        user,
    )
    if name.strip():
        qs = qs.filter(certificate__holding__person__name__contains=name.strip())
    if number.strip():
        qs = qs.filter(certificate__number__number__startswith=number.strip())
    if status:
        qs = qs.filter(status=status)
    open_first = Case(When(status=ReissueStatus.REQUESTED, then=0), default=1)
    return qs.order_by(open_first, "-requested_at", "-pk")


def reissue_get(*, user: User, pk):
    from zhicheng.certificates.models import CertificateReissue

    return get_scoped_or_404(
        CertificateReissue.objects.select_related(
            "certificate__number", "certificate__holding__person", "certificate__holding__title"
        ),
        user,
        pk,
    )


def holder_reissues(*, user: User) -> dict[int, "CertificateReissue"]:
    """The holder's latest reissue request per certificate (我的证书 shows its state)."""
    from zhicheng.certificates.models import CertificateReissue

    latest: dict[int, CertificateReissue] = {}
    for row in scoped(CertificateReissue.objects.all(), user).order_by("requested_at", "pk"):
        latest[row.certificate_id] = row
    return latest


def holder_certificate_get(*, user: User, pk) -> Certificate:
    """The holder's own certificate (申请补发), never one 生成中."""
    return get_or_404_own(user, pk)


def get_or_404_own(user: User, pk) -> Certificate:
    from zhicheng.common.scoping import get_or_404

    return get_or_404(
        Certificate.objects.select_related("number", "holding__person", "holding__title")
        .filter(holding__person__user=user)
        .exclude(status=CertificateStatus.PENDING),
        pk,
    )


def employee_certificate_list(
    *, user: User, name: str = "", number: str = "", status: str = ""
) -> QuerySet[Certificate]:
    """本单位人员证书: the certificates of the titles applied for through the employer
    officer's organization or one below it (the application's 申报单位), or held by people
    whose 工作单位 is there — not the issuing side's scope: an employer issues none."""
    if not user.has_perm(VIEW_EMPLOYEE) or not user.organization_id:
        return Certificate.objects.none()
    path = user.organization.path
    qs = (
        Certificate.objects.select_related(
            "number",
            "holding__person__organization",
            "holding__application__employer",
            "holding__title",
            "issuing_unit__organization",
        )
        .filter(
            Q(holding__application__employer__path__startswith=path)
            | Q(holding__person__organization__path__startswith=path)
        )
        .exclude(status=CertificateStatus.PENDING)
    )
    if name.strip():
        qs = qs.filter(holding__person__name__contains=name.strip())
    if number.strip():
        qs = qs.filter(number__number__startswith=number.strip())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-issued_at", "-pk")
