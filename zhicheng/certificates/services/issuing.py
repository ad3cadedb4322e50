"""Writes of 证书发放 (1.17): a certificate for a 取得职称, numbered from the issuing unit's pool
and signed — every write in a transaction, scoped (issuing units and pools: ``units``).

Numbers: the next 未使用 number of the unit's pool for this year, taken with ``SKIP LOCKED`` on
PostgreSQL — two officers issuing at once take different numbers and never wait on each other;
the unique constraints (one certificate per number and per holding) stand behind it.

Slow work holds no locks: issuing takes the number and creates the certificate 生成中 in one
short transaction, renders and signs the PDF outside any transaction, then stores the file and
marks it 有效 in a second one. A certificate left 生成中 by a crash in between is finished by
``certificates_finish_pending`` (the periodic task in ``certificates.tasks``).

A batch job (``issue_jobs``) takes the same two transactions for a chunk of certificates at
once (``certificates_begin_chunk``, ``certificates_finish_chunk``): one query or statement per
chunk where issuing one by one spends one per certificate, the same rows and log entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.encoding import smart_str

from zhicheng.accounts.models import User
from zhicheng.blacklist.services import person_is_barred
from zhicheng.certificates import pdf
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateNumberStatus,
    CertificateStatus,
    IssuingUnit,
)
from zhicheng.certificates.services import national
from zhicheng.certificates.services.seals import seal_png
from zhicheng.certificates.services.units import issuing_unit_require_active
from zhicheng.certificates.services.verification import verification_records_write
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_entry
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition
from zhicheng.titles import selectors as title_selectors

if TYPE_CHECKING:
    from zhicheng.titles.models import TitleHolding

logger = logging.getLogger(__name__)

ISSUE = "certificates.issue_certificate"
BATCH_MAX = 200
# A certificate still 生成中 after this long was left behind (its request crashed or failed):
# the periodic task renders it again. Long enough that it never races a live request.
PENDING_GRACE = dt.timedelta(minutes=5)


# Read with the locked holding in the same query (only the holding row is locked): its
# certificate if any (refused then) and the application naming the 评审 committee.
HOLDING_RELATED = ("certificate__number", "application__committee")


def _holding_in_scope(actor: User, holding: TitleHolding | int) -> TitleHolding:
    holding_id = getattr(holding, "pk", holding)  # a TitleHolding or its id
    locked = title_selectors.title_holding_for_update(
        user=actor, holding_id=holding_id, related=HOLDING_RELATED
    )
    if locked is None:
        raise ApplicationError("取得职称记录不存在或不在您的管辖范围内")
    return locked


def _unit_in_scope(actor: User, issuing_unit: IssuingUnit | int | None) -> IssuingUnit:
    if issuing_unit is None:
        raise ApplicationError("请选择发证单位")
    unit_id = issuing_unit.pk if isinstance(issuing_unit, IssuingUnit) else issuing_unit
    unit = (
        scoped(IssuingUnit.objects.select_related("organization"), actor).filter(pk=unit_id).first()
    )
    if unit is None:
        raise ApplicationError("发证单位不存在或不在您的管辖范围内")
    return issuing_unit_require_active(unit)


# One statement takes the next 未使用 number and marks it 已使用 (the kernel's save hook below):
# on PostgreSQL the candidate row is locked with SKIP LOCKED, so concurrent issuers never wait
# on each other nor take the same number.
_CLAIM_NUMBER_SQL = """
UPDATE {table} SET {status} = %s
WHERE id = (
    SELECT id FROM {table}
    WHERE issuing_unit_id = %s AND year = %s AND {status} = %s
    ORDER BY number LIMIT 1{lock}
)
RETURNING id, batch_id, sequence, number
"""


# ``_CLAIM_NUMBER_SQL`` for a batch: the next ``count`` 未使用 numbers in one statement.
_CLAIM_NUMBERS_SQL = """
UPDATE {table} SET {status} = %s
WHERE id IN (
    SELECT id FROM {table}
    WHERE issuing_unit_id = %s AND year = %s AND {status} = %s
    ORDER BY number LIMIT %s{lock}
)
RETURNING id, batch_id, sequence, number
"""


def issuing_unit_for_issue(actor: User, issuing_unit: IssuingUnit | int | None) -> IssuingUnit:
    """The issuing unit ``actor`` may issue from (in scope, 正常), or ``ApplicationError``."""
    return _unit_in_scope(actor, issuing_unit)


def _take_number(unit: IssuingUnit, year: int, *, actor: User) -> CertificateNumber:
    number = CertificateNumber(
        issuing_unit=unit, year=year, status=CertificateNumberStatus.AVAILABLE
    )

    def claim(obj: CertificateNumber) -> None:
        lock = (
            " FOR UPDATE SKIP LOCKED"
            if connection.features.has_select_for_update_skip_locked
            else ""
        )
        sql = _CLAIM_NUMBER_SQL.format(
            table=CertificateNumber._meta.db_table, status="status", lock=lock
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [obj.status, unit.pk, year, CertificateNumberStatus.AVAILABLE])
            row = cursor.fetchone()
        if row is None:
            raise ApplicationError(
                f"发证单位“{unit.organization.name}”{year}年度的证书编号已用完，请先生成证书编号"
            )
        obj.pk, obj.batch_id, obj.sequence, obj.number = row
        obj._state.adding = False

    transition(number, "use", actor=actor, save=claim)
    return number


_READ_SEAL = object()


def _take_numbers(
    unit: IssuingUnit, year: int, count: int, *, actor: User
) -> list[CertificateNumber]:
    """Up to ``count`` numbers of the pool (fewer when it runs out), lowest first, taken and
    marked 已使用 by one statement (``_take_number`` for a batch)."""
    lock = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    sql = _CLAIM_NUMBERS_SQL.format(
        table=CertificateNumber._meta.db_table, status="status", lock=lock
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                CertificateNumberStatus.USED,
                unit.pk,
                year,
                CertificateNumberStatus.AVAILABLE,
                count,
            ],
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[3])
    numbers = []
    for pk, batch_id, sequence, value in rows:
        number = CertificateNumber(
            pk=pk,
            issuing_unit=unit,
            year=year,
            batch_id=batch_id,
            sequence=sequence,
            number=value,
            status=CertificateNumberStatus.AVAILABLE,
        )
        number._state.adding = False
        # The statement above wrote the move; the kernel checks and applies it in memory.
        transition(number, "use", actor=actor, save=False)
        numbers.append(number)
    return numbers


def _text(
    holding: TitleHolding,
    number: str,
    unit: IssuingUnit,
    today,
    public_url: str = "",
    copy: int = 1,
    *,
    seal: bytes | None | object = _READ_SEAL,
) -> pdf.CertificateText:
    """The face of ``holding``'s certificate; ``seal``: the unit's seal already read (a batch
    reads it once), by default read here."""
    from zhicheng.certificates.verification import verification_code

    person = holding.person
    return pdf.CertificateText(
        gender=person.get_gender_display(),
        series=holding.title.series.name,
        document_number=holding.document_number,
        verification_code=verification_code(number, copy),
        copy=copy,
        number=number,
        name=person.name,
        id_number=person.id_number,
        title=holding.title.name,
        level=holding.get_level_display(),
        specialty=holding.specialty.name if holding.specialty_id else "—",
        acquisition=holding.get_acquisition_method_display(),
        approved_on=f"{holding.approved_on:%Y年%m月%d日}",
        approving_organization=holding.approving_organization.name,
        issuing_unit=unit.organization.name,
        issued_on=f"{today:%Y年%m月%d日}",
        committee=_evaluating_committee(holding),
        public_url=public_url,
        seal_png=seal_png(unit) if seal is _READ_SEAL else seal,
    )


def _evaluating_committee(holding: TitleHolding) -> str:
    """评审 titles name the committee that evaluated them on the certificate."""
    application = holding.application
    if application is None or not application.is_evaluation or application.committee_id is None:
        return ""
    return application.committee.name


def certificate_issue(
    *,
    actor: User,
    holding: TitleHolding | int,
    issuing_unit: IssuingUnit | int,
    public_url: str | None = None,
) -> Certificate:
    """发放证书 for one 取得职称: refused when it has one already, when the person is on the
    active blacklist, or when the unit's pool of this year is used up. The QR code points at
    ``public_url`` (``pdf.public_url(request)`` from a view; default ``pdf.public_url()``)."""
    require_perm(actor, ISSUE)
    return _issue(actor, holding, issuing_unit, public_url=public_url)


def _issue(
    actor: User,
    holding: TitleHolding | int,
    issuing_unit: IssuingUnit | int | None,
    *,
    public_url: str | None,
    checked_unit: IssuingUnit | None = None,
) -> Certificate:
    """One certificate in two short transactions around the rendering. ``checked_unit``: the
    issuing unit already checked for this actor (a batch checks it once)."""
    try:
        certificate, text = _certificate_begin(
            actor=actor,
            holding=holding,
            issuing_unit=issuing_unit,
            public_url=public_url,
            checked_unit=checked_unit,
        )
    except IntegrityError:
        # The unique constraints (one certificate per holding and per number) behind the locks:
        # a concurrent issue of the same holding committed while this one waited on its lock
        # (the joined certificate was read from before the wait). Say what it is now.
        raise ApplicationError(_issued_meanwhile(holding)) from None
    # Outside any transaction: the number and the holding rows are not held while this runs.
    signed = pdf.sign(pdf.render(text), location=certificate.issuing_unit.organization.name)
    return _certificate_finish(certificate, signed)


def _refusal_existing(holding: TitleHolding, existing: Certificate) -> str:
    if existing.status == CertificateStatus.PENDING:
        return (
            f"{holding.person.name}的{holding.title.name}证书正在生成中"
            f"（{existing.number.number}），请稍后刷新页面"
        )
    return f"{holding.person.name}的{holding.title.name}已发放证书（{existing.number.number}）"


def _issued_meanwhile(holding: TitleHolding | int) -> str:
    holding_id = getattr(holding, "pk", holding)
    existing = (
        Certificate.objects.select_related("number", "holding__person", "holding__title")
        .filter(holding_id=holding_id)
        .first()
    )
    if existing is None:
        return "该证书已被他人发放，请刷新页面"
    return _refusal_existing(existing.holding, existing)


def _certificate_begin(
    *,
    actor: User,
    holding: TitleHolding | int,
    issuing_unit: IssuingUnit | int | None,
    public_url: str | None,
    checked_unit: IssuingUnit | None = None,
) -> tuple[Certificate, pdf.CertificateText]:
    """The first, short transaction: checks, takes the number, creates the certificate 生成中
    and reads what its face shows. Committed asynchronously on PostgreSQL (no wait for the
    WAL flush): were it lost with the server, nothing was issued; the second transaction's
    synchronous commit makes it durable, and a pending row left by a crash in between is
    finished by ``certificates_finish_pending``."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The holding is read with its face in one pk-driven join of ten tables: planning
            # every join order costs PostgreSQL ~2.5 ms, more than running it; the order as
            # written (from the holding's primary key outwards) is the right plan.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL synchronous_commit TO OFF; SET LOCAL join_collapse_limit TO 1"
                )
        locked = _holding_in_scope(actor, holding)
        existing = getattr(locked, "certificate", None)
        if existing is not None:
            raise ApplicationError(_refusal_existing(locked, existing))
        if person_is_barred(locked.person_id):
            raise ApplicationError(f"{locked.person.name}在黑名单中，不能发放证书")
        unit = checked_unit or _unit_in_scope(actor, issuing_unit)
        today = timezone.localdate()
        number = _take_number(unit, today.year, actor=actor)
        certificate = Certificate(
            holding=locked,
            number=number,
            issuing_unit=unit,
            status=CertificateStatus.PENDING,
            issued_by=actor,
        )
        certificate.save()
        text = _text(locked, number.number, unit, today, public_url or pdf.public_url())
    return certificate, text


class _AlreadyFinished(Exception):
    """The certificate is no longer 生成中 (the recovery task finished it meanwhile)."""


FINISHED_FIELDS = ("file", "sha256")


def _certificate_finish(certificate: Certificate, signed: bytes) -> Certificate:
    """The second transaction: stores the signed PDF and marks the certificate 有效 (with its
    operation-log entry) with one conditional UPDATE (where it is still 生成中; the row and
    what the log entry names are in memory, read by the first transaction). A certificate
    finished meanwhile (by the recovery task) is left as it is and this file is dropped."""
    number = certificate.number.number
    certificate.file.save(f"{number}.pdf", ContentFile(signed), save=False)
    stored = certificate.file.name
    sha256 = hashlib.sha256(signed).hexdigest()

    try:
        with transaction.atomic():
            _finish_step(certificate, stored, sha256)
    except _AlreadyFinished:
        certificate.file.storage.delete(stored)
        return Certificate.objects.select_related("number").get(pk=certificate.pk)
    except Exception:
        certificate.file.storage.delete(stored)
        raise
    return certificate


def _finish_step(certificate: Certificate, stored: str, sha256: str) -> None:
    """Mark the certificate 有效 with its stored file (``stored``) and digest, where it is
    still 生成中 (else ``_AlreadyFinished``), with django-auditlog's change entry and the
    operation-log entry (in the caller's transaction)."""

    def store(obj: Certificate) -> None:
        columns = {name: getattr(obj, name) for name in ("status", *FINISHED_FIELDS)}
        columns["file"] = stored
        pending = Certificate.objects.filter(pk=obj.pk, status=CertificateStatus.PENDING)
        if pending.update(**columns) != 1:
            raise _AlreadyFinished
        verification_records_write([obj.pk])
        # What django-auditlog writes for a saved change (the UPDATE above sends no signal).
        LogEntry.objects.log_create(
            obj, force_log=True, action=LogEntry.Action.UPDATE, changes=_finish_changes(sha256)
        )

    transition(
        certificate,
        "finish",
        actor=certificate.issued_by,
        values={"file": certificate.file, "sha256": sha256},
        save=store,
        summary=_finish_summary(certificate),
        operation="issue",
    )


def _finish_changes(sha256: str) -> dict:
    return {
        "sha256": ["", sha256],
        "status": [CertificateStatus.PENDING.value, CertificateStatus.VALID.value],
    }


def _finish_summary(certificate: Certificate) -> str:
    holding = certificate.holding
    return (
        f"发放证书 {certificate.number.number}：{holding.person.name}的{holding.title.name}"
        f"（发证单位 {certificate.issuing_unit.organization.name}）"
    )


# What finishing a 生成中 certificate again reads with it (its face and its log entry).
PENDING_RELATED = (
    "number",
    "issued_by",
    "issuing_unit__organization",
    "holding__person",
    "holding__title",
    "holding__specialty",
    "holding__approving_organization",
    "holding__application__committee",
)


def certificate_finish_again(certificate: Certificate, *, public_url: str = "") -> Certificate:
    """Render, sign and store a certificate left 生成中 (read with ``PENDING_RELATED``), dated
    the day it was numbered; the QR code points at ``public_url`` (default: the configured
    public address). Returns it as stored (already finished by someone else: as it is)."""
    issued_on = timezone.localdate(certificate.issued_at)
    text = _text(
        certificate.holding,
        certificate.number.number,
        certificate.issuing_unit,
        issued_on,
        public_url or pdf.public_url(),
    )
    signed = pdf.sign(pdf.render(text), location=certificate.issuing_unit.organization.name)
    return _certificate_finish(certificate, signed)


def certificate_issue_checked(
    *, actor: User, holding: int, unit: IssuingUnit, public_url: str | None
) -> Certificate:
    """``certificate_issue`` for a batch that checked the permission and the issuing unit
    (``unit``, read by ``_unit_in_scope`` for this actor) once for all its certificates."""
    return _issue(actor, holding, unit, public_url=public_url, checked_unit=unit)


@dataclass
class ChunkBegun:
    """What a batch's first transaction left: the certificates 生成中 with their faces, to be
    rendered, signed and finished (``certificates_finish_chunk``); how many holdings were
    issued already by the same run before (``done``); and the refused holdings with why."""

    pending: list[tuple[Certificate, pdf.CertificateText]] = field(default_factory=list)
    done: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def certificates_begin_chunk(
    *,
    actor: User,
    holding_ids: list[int],
    unit: IssuingUnit,
    public_url: str,
    resume_since: dt.datetime | None = None,
) -> ChunkBegun:
    """The first transaction of ``_issue`` for a batch of holdings at once (a job's chunk;
    permission and ``unit`` checked by the caller): the holdings locked and read with their
    faces in one query, the blacklist asked once, the numbers taken by one statement, the
    certificates created 生成中. Refusals are those of ``certificate_issue``. A holding whose
    certificate ``actor`` issued from ``unit`` since ``resume_since`` (the same job, run
    before and interrupted) is not refused: counted ``done``, or when still 生成中 returned
    to be rendered and finished again."""
    from zhicheng.blacklist.services import persons_barred

    outcome = ChunkBegun()
    today = timezone.localdate()
    seal = seal_png(unit)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # As ``_certificate_begin``: the second transaction's synchronous commit makes
            # the work durable; the join order as written is the right plan.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET LOCAL synchronous_commit TO OFF; SET LOCAL join_collapse_limit TO 1"
                )
        locked = {
            h.pk: h
            for h in title_selectors.title_holdings_for_update(
                user=actor, holding_ids=holding_ids, related=HOLDING_RELATED
            )
        }
        barred = persons_barred([h.person_id for h in locked.values()], today)
        to_issue = []
        for holding_id in dict.fromkeys(holding_ids):
            holding = locked.get(holding_id)
            if holding is None:
                outcome.refused.append((holding_id, "取得职称记录不存在或不在您的管辖范围内"))
                continue
            existing = getattr(holding, "certificate", None)
            if existing is not None:
                if _resumable(existing, actor, unit, resume_since):
                    if existing.status == CertificateStatus.PENDING:
                        existing.holding, existing.issued_by, existing.issuing_unit = (
                            holding,
                            actor,
                            unit,
                        )
                        issued_on = timezone.localdate(existing.issued_at)
                        text = _text(
                            holding, existing.number.number, unit, issued_on, public_url, seal=seal
                        )
                        outcome.pending.append((existing, text))
                    else:
                        outcome.done += 1
                else:
                    outcome.refused.append((holding_id, _refusal_existing(holding, existing)))
                continue
            if holding.person_id in barred:
                outcome.refused.append(
                    (holding_id, f"{holding.person.name}在黑名单中，不能发放证书")
                )
                continue
            to_issue.append(holding)
        numbers = _take_numbers(unit, today.year, len(to_issue), actor=actor)
        for holding in to_issue[len(numbers) :]:
            outcome.refused.append(
                (
                    holding.pk,
                    f"发证单位“{unit.organization.name}”{today.year}年度的证书编号已用完，"
                    "请先生成证书编号",
                )
            )
        created = Certificate.objects.bulk_create(
            [
                Certificate(
                    holding=holding,
                    number=number,
                    issuing_unit=unit,
                    status=CertificateStatus.PENDING,
                    issued_by=actor,
                )
                for holding, number in zip(to_issue, numbers, strict=False)
            ]
        )
        # What django-auditlog writes for each created row (bulk_create sends no signal).
        LogEntry.objects.bulk_create(
            [
                _audit_entry(
                    certificate,
                    action=LogEntry.Action.CREATE,
                    changes=model_instance_diff(
                        None,
                        certificate,
                        use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES,
                    ),
                )
                for certificate in created
            ]
        )
        for certificate in created:
            text = _text(
                certificate.holding,
                certificate.number.number,
                unit,
                today,
                public_url,
                seal=seal,
            )
            outcome.pending.append((certificate, text))
    return outcome


def _audit_entry(obj: Certificate, *, action: int, changes) -> LogEntry:
    """The entry ``LogEntry.objects.log_create(obj, force_log=True, ...)`` saves, unsaved (a
    batch writes them with one statement; outside a request: no actor to add)."""
    return LogEntry(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=smart_str(obj),
        serialized_data=LogEntry.objects._get_serialized_data_or_none(obj),
        action=action,
        changes=changes,
        cid=get_cid(),
    )


def _resumable(
    existing: Certificate, actor: User, unit: IssuingUnit, since: dt.datetime | None
) -> bool:
    return (
        since is not None
        and existing.issued_by_id == actor.pk
        and existing.issuing_unit_id == unit.pk
        and existing.issued_at >= since
    )


def certificates_finish_chunk(rendered: list[tuple[Certificate, bytes]]) -> int:
    """The second transaction of ``_issue`` for a batch: every signed PDF stored, then the
    certificates still 生成中 (locked, so the recovery task cannot finish one meanwhile)
    marked 有效 in one transaction. Returns how many this call finished; the files of the
    ones finished meanwhile by someone else are dropped."""
    stored = []
    for certificate, signed in rendered:
        number = certificate.number.number
        certificate.file.save(f"{number}.pdf", ContentFile(signed), save=False)
        stored.append((certificate, certificate.file.name, hashlib.sha256(signed).hexdigest()))
    finished = []
    try:
        with transaction.atomic():
            still_pending = set(
                Certificate.objects.select_for_update()
                .filter(pk__in=[c.pk for c, _, _ in stored], status=CertificateStatus.PENDING)
                .values_list("pk", flat=True)
            )
            entries = []
            for certificate, name, sha256 in stored:
                if certificate.pk not in still_pending:
                    continue
                # The kernel checks and applies the move; the rows are written together below
                # (as ``transitions_write`` does), with ``_finish_step``'s log entries.
                transition(
                    certificate,
                    "finish",
                    actor=certificate.issued_by,
                    values={"file": name, "sha256": sha256},
                    save=False,
                ).written = True
                finished.append(certificate)
                entries.append(
                    _audit_entry(
                        certificate,
                        action=LogEntry.Action.UPDATE,
                        changes=_finish_changes(sha256),
                    )
                )
                entries.append(
                    operation_entry(
                        actor=certificate.issued_by,
                        operation="issue",
                        obj=certificate,
                        summary=_finish_summary(certificate),
                    )
                )
            _write_finished(finished)
            verification_records_write(c.pk for c in finished)
            LogEntry.objects.bulk_create(entries)
    except Exception:
        for certificate, name, _ in stored:
            certificate.file.storage.delete(name)
        raise
    finished_ids = {c.pk for c in finished}
    for certificate, name, _ in stored:
        if certificate.pk not in finished_ids:
            certificate.file.storage.delete(name)
    return len(finished)


# The finished rows of a batch in one statement: ``bulk_update``'s CASE per column costs the
# runner more than the rest of the chunk's writes together. (A CTE: SQLite names no columns
# of a bare VALUES list.)
_FINISH_SQL = """
WITH finished (id, file, sha256) AS (VALUES {rows})
UPDATE {table} SET status = %s, file = finished.file, sha256 = finished.sha256
FROM finished WHERE {table}.id = finished.id
"""


def _write_finished(certificates: list[Certificate]) -> None:
    """Write the status (set by the kernel's ``finish``), file and digest of ``certificates``
    (locked by the caller, still 生成中 in the database)."""
    if not certificates:
        return
    sql = _FINISH_SQL.format(
        rows=", ".join(["(%s, %s, %s)"] * len(certificates)),
        table=Certificate._meta.db_table,
    )
    params = [value for c in certificates for value in (c.pk, c.file.name, c.sha256)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, CertificateStatus.VALID])


def certificates_finish_pending(*, older_than: dt.timedelta = PENDING_GRACE) -> int:
    """Finish the certificates left 生成中 for longer than ``older_than`` (their request
    crashed between its two transactions): render and sign each again, outside any
    transaction, and store it. Returns how many were finished. The QR code points at the
    default public address (the request's own is not known any more)."""
    cutoff = timezone.now() - older_than
    finished = 0
    pending = Certificate.objects.filter(
        status=CertificateStatus.PENDING, issued_at__lte=cutoff
    ).values_list("pk", flat=True)
    for certificate_id in list(pending):
        certificate = Certificate.objects.select_related(*PENDING_RELATED).get(pk=certificate_id)
        try:
            if certificate_finish_again(certificate).status == CertificateStatus.VALID:
                finished += 1
        except Exception:
            logger.exception(
                "certificate %s: finishing the pending certificate failed", certificate_id
            )
    return finished


@dataclass
class IssueOutcome:
    issued: list[Certificate] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = f"已发放证书 {len(self.issued)} 份"
        if self.refused:
            text += f"，{len(self.refused)} 条未发放：" + "；".join(r for _, r in self.refused[:5])
        return text


def certificates_issue(
    *,
    actor: User,
    holding_ids: list[int],
    issuing_unit: IssuingUnit | int | None,
    public_url: str | None = None,
) -> IssueOutcome:
    """勾选后发放证书: each holding on its own (one refused does not stop the others)."""
    require_perm(actor, ISSUE)
    if not holding_ids:
        raise ApplicationError("请勾选要发放证书的人员")
    if len(holding_ids) > BATCH_MAX:
        raise ApplicationError(f"一次最多发放 {BATCH_MAX} 份证书，请分批勾选")
    unit = _unit_in_scope(actor, issuing_unit)
    outcome = IssueOutcome()
    for holding_id in dict.fromkeys(holding_ids):
        try:
            outcome.issued.append(
                certificate_issue_checked(
                    actor=actor, holding=holding_id, unit=unit, public_url=public_url
                )
            )
        except ApplicationError as exc:
            outcome.refused.append((holding_id, exc.message))
    return outcome


REVOKE = "certificates.revoke_certificate"
REVOKE_REASON_MAX = 200


def certificate_revoke(*, actor: User, certificate: Certificate | int, reason: str) -> Certificate:
    """撤销证书 (1.19) with a required reason: the certificate stays, marked 已撤销 (证书核验 says
    so); its number is never given to another certificate. A certificate already reported to
    the national platform gets its 撤销 outbox row (``national.revoke_enqueue``)."""
    require_perm(actor, REVOKE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写撤销原因")
    if len(reason) > REVOKE_REASON_MAX:
        raise ApplicationError(f"撤销原因不能超过 {REVOKE_REASON_MAX} 字")
    certificate_id = certificate.pk if isinstance(certificate, Certificate) else certificate
    with transaction.atomic():
        locked = (
            scoped(
                Certificate.objects.select_related("number", "holding__person", "holding__title"),
                actor,
            )
            .select_for_update(of=("self",))
            .filter(pk=certificate_id)
            .first()
        )
        if locked is None:
            raise ApplicationError("证书不存在或不在您的管辖范围内")
        if locked.status == CertificateStatus.REVOKED:
            raise ApplicationError(f"证书 {locked.number.number} 已撤销")
        if locked.status == CertificateStatus.PENDING:
            raise ApplicationError(f"证书 {locked.number.number} 正在生成中，不能撤销")
        holding = locked.holding
        transition(
            locked,
            "revoke",
            actor=actor,
            opinion=reason,
            values={"revoke_reason": reason, "revoked_by": actor, "revoked_at": timezone.now()},
            summary=(
                f"撤销证书 {locked.number.number}：{holding.person.name}的{holding.title.name}"
                f"，撤销原因：{reason}"
            ),
            operation="revoke",
        )
        verification_records_write([locked.pk])
        # Reported to the national platform already: its 撤销 follows (1.18), same transaction.
        national.revoke_enqueue(locked, actor=actor)
    return locked
