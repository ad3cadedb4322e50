"""证书报送人社部 (1.18): the outbox and its delivery.

上报 (``certificates_report``) writes one ``NationalReport`` row per certificate in the same
transaction as it checks the certificates — exactly once: 勾选 locks the ticked certificates
first and skips (with the reason) the ones already reported; 全部上报 is two set-based
``INSERT … SELECT`` statements over the scope, so it takes well under a second however many
certificates wait. The unique constraint (certificate, kind) with ``ON CONFLICT DO NOTHING``
stands behind both, so two concurrent clicks write one row. 撤销 (1.19)
writes a 撤销 row when the certificate was reported (``revoke_enqueue``); a revoked certificate
reported later gets both rows. A 撤销 row is never claimed before its certificate's 发证 row is
已上报: the national platform hears of a certificate before hearing it was revoked.

Delivery (``national_reports_deliver``, the Huey periodic task): claim due rows with
``SELECT … FOR UPDATE SKIP LOCKED`` (two workers never take the same row), mark them 上报中 and
commit; POST each record outside any transaction with the header
``Idempotency-Key: <证书编号>:<kind>`` (``ZHICHENG_NATIONAL_CONCURRENCY`` at once, over kept-alive
connections); then, for the whole batch in one transaction, mark each 已上报, or 待上报 again
with an exponential backoff with jitter, or 失败 after ``ZHICHENG_NATIONAL_MAX_ATTEMPTS``. A
worker killed between the claim and the answer leaves a row 上报中: after
``ZHICHENG_NATIONAL_LEASE_SECONDS`` it is released and sent again — the platform answers the
same key idempotently, so it is stored once.

The record (``national_record``) is the fixed JSON document below, built when the row is first
claimed and stored in the row, so every attempt sends the same body under the same key::

    {"schema": "zhicheng.national-report/1", "kind": "issue" | "revoke",
     "certificate_number": "320100012026000001", "name": "张伟",
     "id_type": "resident_id", "id_number": "…", "title": "助理工程师", "series": "工程",
     "specialty": "计算机应用" | "", "level": "assistant", "level_display": "助理级",
     "acquisition_method": "initial", "acquisition_method_display": "初定",
     "evaluator": "评审委员会或批准机构名称", "approving_organization": "南京市人社局",
     "document_number": "宁人社〔2026〕1号" | "", "approved_on": "2026-03-01",
     "issuing_unit_code": "32010001", "issuing_unit": "南京市人力资源和社会保障局",
     "issued_on": "2026-03-02", "status": "valid" | "revoked",
     "revoked_on": "2026-04-01" | null, "revoke_reason": "…" | ""}
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.certificates.models import (
    Certificate,
    CertificateStatus,
    NationalReport,
    NationalReportKind,
    NationalReportStatus,
)
from zhicheng.common.errors import ApplicationError
from zhicheng.common.oplog import operation_record
from zhicheng.common.permissions import require_perm
from zhicheng.common.scoping import scoped
from zhicheng.common.workflow import transition

logger = logging.getLogger(__name__)

REPORT = "certificates.report_certificate"
SCHEMA = "zhicheng.national-report/1"
REPORT_IDS_MAX = 1000  # 勾选 → 批量上报: ids per request (全部上报 has no limit)
CLAIM_BATCH = 50
ERROR_MAX = 500

_RECORD_RELATED = (
    "number",
    "issuing_unit__organization",
    "holding__person",
    "holding__title__series",
    "holding__specialty",
    "holding__approving_organization",
    "holding__application__committee",
)


# --- the record ---------------------------------------------------------------------------------


def _evaluator(holding) -> str:
    """评审/审批机构: the committee that evaluated a 评审 title, else the approving organization."""
    application = holding.application
    committee = getattr(application, "committee", None) if application is not None else None
    if application is not None and application.is_evaluation and committee is not None:
        return committee.name
    return holding.approving_organization.name


def national_record(certificate: Certificate, kind: str) -> dict[str, Any]:
    """The fixed JSON record of ``certificate`` sent to the national platform (module doc)."""
    holding = certificate.holding
    person = holding.person
    revoked = kind == NationalReportKind.REVOKE
    return {
        "schema": SCHEMA,
        "kind": str(kind),
        "certificate_number": certificate.number.number,
        "name": person.name,
        "id_type": person.id_type,
        "id_number": person.id_number,
        "title": holding.title.name,
        "series": holding.title.series.name,
        "specialty": holding.specialty.name if holding.specialty_id else "",
        "level": holding.level,
        "level_display": holding.get_level_display(),
        "acquisition_method": holding.acquisition_method,
        "acquisition_method_display": holding.get_acquisition_method_display(),
        "evaluator": _evaluator(holding),
        "approving_organization": holding.approving_organization.name,
        "document_number": holding.document_number,
        "approved_on": holding.approved_on.isoformat(),
        "issuing_unit_code": certificate.issuing_unit.code,
        "issuing_unit": certificate.issuing_unit.organization.name,
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "status": CertificateStatus.REVOKED.value if revoked else CertificateStatus.VALID.value,
        "revoked_on": (
            timezone.localdate(certificate.revoked_at).isoformat()
            if revoked and certificate.revoked_at
            else None
        ),
        "revoke_reason": certificate.revoke_reason if revoked else "",
    }


# --- 上报 ---------------------------------------------------------------------------------------


@dataclass
class ReportOutcome:
    reported: int = 0  # certificates given an outbox row now
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (id, why)

    @property
    def message(self) -> str:
        text = f"已提交上报 {self.reported} 份证书"
        if self.skipped:
            text += f"，{len(self.skipped)} 份未提交：" + "；".join(r for _, r in self.skipped[:5])
        return text


def _rows(certificate_id: int, kinds: list[str], actor_id: int | None) -> list[NationalReport]:
    now = timezone.now()
    return [
        NationalReport(
            certificate_id=certificate_id,
            kind=kind,
            next_attempt_at=now,
            created_by_id=actor_id,
        )
        for kind in kinds
    ]


def _kick_delivery() -> None:
    """Deliver soon after the commit rather than at the next minute (best effort)."""
    try:
        from zhicheng.certificates.tasks import national_reports_deliver_now

        national_reports_deliver_now()
    except Exception:  # the periodic task delivers them anyway
        logger.warning("could not queue the national report delivery", exc_info=True)


def _insert_missing(certificates: QuerySet[Certificate], kind: str, actor: User | None) -> int:
    """One outbox row of ``kind`` for each of ``certificates`` that has none, written by the
    database in one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (the record is built when the
    row is first claimed). Returns how many rows were written."""
    now = timezone.now()
    columns = {
        "certificate_id": F("pk"),
        "kind": Value(str(kind), output_field=CharField()),
        "status": Value(NationalReportStatus.PENDING.value, output_field=CharField()),
        "attempts": Value(0, output_field=IntegerField()),
        "last_error": Value("", output_field=CharField()),
        "next_attempt_at": Value(now, output_field=DateTimeField()),
        "created_by_id": Value(actor.pk if actor else None, output_field=IntegerField()),
        "created_at": Value(now, output_field=DateTimeField()),
    }
    select = (
        certificates.exclude(national_reports__kind=kind)
        # In the order 勾选 writes its rows too: two 上报 waiting on each other's unique-index
        # entries always wait in one direction, never in a cycle.
        .order_by("pk")
        .annotate(**{f"_{name}": value for name, value in columns.items()})
        .values_list(*(f"_{name}" for name in columns))
    )
    try:
        sql, params = select.query.sql_with_params()
    except EmptyResultSet:  # an empty scope
        return 0
    table = connection.ops.quote_name(NationalReport._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    # SQLite needs the SELECT's WHERE (it has one) to read ON CONFLICT as the upsert clause.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql} ON CONFLICT DO NOTHING", params)
        return max(cursor.rowcount, 0)


def _report_everything(actor: User) -> ReportOutcome:
    """全部上报: every certificate of the scope not yet reported (not 生成中) gets its 发证 row,
    and every revoked one its 撤销 row, in two set-based statements — no certificate is read
    into Python, so it costs the same for ten certificates as for a province's year. The unique
    constraint makes a concurrent 全部上报 (or 勾选) write nothing twice; a revocation racing
    with it is caught when the 发证 row is claimed (``_records_fill``)."""
    issued = scoped(Certificate.objects.all(), actor).exclude(status=CertificateStatus.PENDING)
    outcome = ReportOutcome()
    with transaction.atomic():
        outcome.reported = _insert_missing(issued, NationalReportKind.ISSUE, actor)
        _insert_missing(
            issued.filter(status=CertificateStatus.REVOKED), NationalReportKind.REVOKE, actor
        )
        if outcome.reported:
            operation_record(
                actor=actor,
                operation="national_report",
                obj=NationalReport.objects.filter(created_by=actor).latest("pk"),
                summary=f"证书报送人社部：提交上报 {outcome.reported} 份证书（全部上报）",
            )
            transaction.on_commit(_kick_delivery)
    return outcome


def certificates_report(
    *, actor: User, certificate_ids: list[int] | None = None, everything: bool = False
) -> ReportOutcome:
    """勾选 → 批量上报 (``certificate_ids``) or 全部上报 (``everything``: every certificate of the
    actor's scope not yet reported). Writes the outbox rows in this transaction; a certificate
    already reported is skipped (never a second row), one 生成中 is refused."""
    require_perm(actor, REPORT)
    if everything:
        return _report_everything(actor)
    ids = list(dict.fromkeys(certificate_ids or []))
    if not ids:
        raise ApplicationError("请勾选要上报的证书")
    if len(ids) > REPORT_IDS_MAX:
        raise ApplicationError(f"一次最多勾选 {REPORT_IDS_MAX} 份证书，请使用全部上报")
    outcome = ReportOutcome()
    with transaction.atomic():
        # Lock the certificates: a concurrent 上报 of the same ones waits here, then sees the
        # rows this one wrote and skips them. NO KEY UPDATE: the foreign-key checks of a
        # concurrent 全部上报 (KEY SHARE) pass, so it never deadlocks with this one.
        locked = dict(
            scoped(Certificate.objects.all(), actor)
            .filter(pk__in=ids)
            .select_for_update(of=("self",), no_key=True)
            .order_by("pk")
            .values_list("pk", "status")
        )
        for missing in sorted(set(ids) - set(locked)):
            outcome.skipped.append((missing, f"证书 {missing} 不存在或不在您的管辖范围内"))
        reported = set(
            NationalReport.objects.filter(
                certificate_id__in=locked, kind=NationalReportKind.ISSUE
            ).values_list("certificate_id", flat=True)
        )
        numbers = dict(
            Certificate.objects.filter(pk__in=locked).values_list("pk", "number__number")
        )
        rows: list[NationalReport] = []
        for pk, status in locked.items():
            if pk in reported:
                outcome.skipped.append((pk, f"证书 {numbers[pk]} 已上报"))
            elif status == CertificateStatus.PENDING:
                outcome.skipped.append((pk, f"证书 {numbers[pk]} 正在生成中"))
            else:
                kinds = [NationalReportKind.ISSUE]
                if status == CertificateStatus.REVOKED:
                    kinds.append(NationalReportKind.REVOKE)
                rows += _rows(pk, kinds, actor.pk)
                outcome.reported += 1
        # The unique constraint stands behind the lock (ON CONFLICT DO NOTHING).
        NationalReport.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        if rows:
            operation_record(
                actor=actor,
                operation="national_report",
                obj=rows[0],
                summary=f"证书报送人社部：提交上报 {outcome.reported} 份证书",
            )
            transaction.on_commit(_kick_delivery)
    return outcome


def revoke_enqueue(certificate: Certificate, *, actor: User | None) -> NationalReport | None:
    """撤销 (1.19) of a certificate already reported: its 撤销 row, in the caller's transaction
    (one not yet reported gets both rows when it is reported)."""
    if not NationalReport.objects.filter(
        certificate=certificate, kind=NationalReportKind.ISSUE
    ).exists():
        return None
    rows = _rows(certificate.pk, [NationalReportKind.REVOKE], actor.pk if actor else None)
    NationalReport.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_kick_delivery)
    return rows[0]


def national_report_retry(*, actor: User, certificate: Certificate | int) -> int:
    """重新上报: the certificate's 失败 rows go back to 待上报 with a fresh count of attempts.
    Returns how many rows; refused when none has failed."""
    require_perm(actor, REPORT)
    certificate_id = getattr(certificate, "pk", certificate)
    with transaction.atomic():
        found = scoped(Certificate.objects.select_related("number"), actor).filter(
            pk=certificate_id
        )
        target = found.first()
        if target is None:
            raise ApplicationError("证书不存在或不在您的管辖范围内")
        failed = list(
            NationalReport.objects.select_for_update()
            .filter(certificate_id=certificate_id, status=NationalReportStatus.FAILED)
            .order_by("pk")
        )
        if not failed:
            raise ApplicationError(f"证书 {target} 没有上报失败的记录")
        now = timezone.now()
        for row in failed:
            transition(
                row,
                "retry",
                actor=actor,
                values={"attempts": 0, "next_attempt_at": now, "claimed_at": None},
                summary=f"重新上报证书 {target}（{row.get_kind_display()}）",
            )
        transaction.on_commit(_kick_delivery)
    return len(failed)


# --- delivery -----------------------------------------------------------------------------------


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base · 2^(attempts−1), capped, with
    jitter (a uniform draw from its upper half) so rows failed together spread out."""
    base = settings.ZHICHENG_NATIONAL_BACKOFF_SECONDS
    cap = settings.ZHICHENG_NATIONAL_BACKOFF_MAX
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return timedelta(seconds=(rng or random).uniform(delay / 2, delay))


@dataclass
class Attempt:
    ok: bool
    error: str = ""
    permanent: bool = False  # the platform refused the record itself: retrying cannot help


def _refusal(status: int, data: bytes) -> Attempt:
    detail = data[:200].decode("utf-8", "replace")
    permanent = 400 <= status < 500 and status not in (408, 409, 425, 429)
    return Attempt(ok=False, error=f"HTTP {status} {detail}".strip(), permanent=permanent)


class Sender:
    """POSTs records to the platform over one kept-alive connection (one per thread: a
    connection carries one request at a time). A connection that failed in any way is closed,
    never reused — a late answer on it would be read as the answer to the next record."""

    def __init__(self, url: str, *, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname or "", parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def post(self, payload: dict, key: str) -> Attempt:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key}
        while True:
            reused = self.connection is not None
            connection = self.connection or self._connect()
            self.connection = None
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (
                http.client.RemoteDisconnected,
                ConnectionResetError,
                BrokenPipeError,
            ) as exc:
                connection.close()
                if reused:
                    # The platform closed the idle connection meanwhile: once more on a new
                    # one (the key makes a second delivery of the record harmless).
                    continue
                return Attempt(ok=False, error=f"{type(exc).__name__}: {exc}")
            except (TimeoutError, OSError, http.client.HTTPException) as exc:
                connection.close()
                return Attempt(ok=False, error=f"{type(exc).__name__}: {exc}")
            if response.will_close:
                connection.close()
            else:
                self.connection = connection
            if 200 <= response.status < 300:
                return Attempt(ok=True)
            return _refusal(response.status, data)


def post_record(url: str, payload: dict, key: str, *, timeout: float) -> Attempt:
    """POST one record as JSON with its idempotency key (a connection of its own)."""
    sender = Sender(url, timeout=timeout)
    try:
        return sender.post(payload, key)
    finally:
        sender.close()


@dataclass
class DeliveryOutcome:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0


def _due(now: datetime):
    issue_delivered = NationalReport.objects.filter(
        certificate=OuterRef("certificate"),
        kind=NationalReportKind.ISSUE,
        status=NationalReportStatus.DELIVERED,
    )
    return NationalReport.objects.filter(
        status=NationalReportStatus.PENDING, next_attempt_at__lte=now
    ).filter(Q(kind=NationalReportKind.ISSUE) | Q(Exists(issue_delivered)))


def _records_fill(rows: list[NationalReport]) -> None:
    """Build the record of each row claimed for the first time (one read for the batch). A
    certificate revoked while its 发证 row was being written (a revocation racing with 上报 saw
    no 发证 row yet) gets its missing 撤销 row here."""
    empty = [row for row in rows if row.payload is None]
    if not empty:
        return
    certificates = Certificate.objects.select_related(*_RECORD_RELATED).in_bulk(
        {row.certificate_id for row in empty}
    )
    late_revocations = []
    for row in empty:
        certificate = certificates[row.certificate_id]
        row.payload = national_record(certificate, row.kind)
        if row.kind == NationalReportKind.ISSUE and certificate.status == CertificateStatus.REVOKED:
            late_revocations += _rows(
                certificate.pk, [NationalReportKind.REVOKE], row.created_by_id
            )
    NationalReport.objects.bulk_create(late_revocations, ignore_conflicts=True)


def national_reports_claim(*, limit: int = CLAIM_BATCH) -> list[NationalReport]:
    """Take up to ``limit`` due rows (SKIP LOCKED: a row another worker is claiming is passed
    over) and mark them 上报中, committed before anything is sent. A row's record is built at
    its first claim and kept, so every attempt sends the same body under the same key."""
    with transaction.atomic():
        now = timezone.now()
        rows = list(
            _due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")[:limit]
        )
        _records_fill(rows)
        for row in rows:
            transition(
                row,
                "claim",
                actor=None,
                save=False,
                values={"claimed_at": now, "attempts": row.attempts + 1},
            )
        NationalReport.objects.bulk_update(rows, ["status", "claimed_at", "attempts", "payload"])
    return rows


def national_report_settle(row: NationalReport, attempt: Attempt) -> str:
    """Write the answer of one attempt: 已上报, 待上报 later (backoff) or 失败. A row whose claim
    was released and taken again meanwhile is left to its new worker."""
    return national_reports_settle([(row, attempt)])[0]


_SETTLE_FIELDS = ["status", "delivered_at", "last_error", "next_attempt_at"]


def national_reports_settle(results: list[tuple[NationalReport, Attempt]]) -> list[str]:
    """:func:`national_report_settle` of many rows in one transaction (a claimed batch once
    sent); the action of each, "" for a row left to another worker. A worker that dies before
    this commits leaves its rows 上报中: they are sent again after the lease, and the platform
    stores each key once."""
    max_attempts = settings.ZHICHENG_NATIONAL_MAX_ATTEMPTS
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in NationalReport.objects.select_for_update()
            .filter(pk__in=[row.pk for row, _ in results])
            .order_by("pk")
        }
        now = timezone.now()
        actions, changed = [], []
        for row, attempt in results:
            current = locked.get(row.pk)
            if (
                current is None
                or current.status != NationalReportStatus.SENDING
                or current.claimed_at != row.claimed_at
            ):
                actions.append("")
                continue
            if attempt.ok:
                step = transition(
                    current, "deliver", actor=None, save=False, values={"delivered_at": now}
                )
            elif attempt.permanent or current.attempts >= max_attempts:
                step = transition(
                    current,
                    "fail",
                    actor=None,
                    save=False,
                    values={"last_error": attempt.error[:ERROR_MAX]},
                )
            else:
                step = transition(
                    current,
                    "retry_later",
                    actor=None,
                    save=False,
                    values={
                        "last_error": attempt.error[:ERROR_MAX],
                        "next_attempt_at": now + backoff(current.attempts),
                    },
                )
            actions.append(step.action)
            changed.append(current)
        NationalReport.objects.bulk_update(changed, _SETTLE_FIELDS)
    return actions


def national_reports_release_stale(*, lease_seconds: int | None = None) -> int:
    """上报中 rows whose worker gave no answer within the lease (it died) go back to 待上报."""
    lease = lease_seconds if lease_seconds is not None else settings.ZHICHENG_NATIONAL_LEASE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=lease)
    with transaction.atomic():
        rows = list(
            NationalReport.objects.select_for_update(skip_locked=True).filter(
                status=NationalReportStatus.SENDING, claimed_at__lt=cutoff
            )
        )
        for row in rows:
            transition(
                row,
                "release",
                actor=None,
                save=False,
                values={"next_attempt_at": timezone.now(), "last_error": "上报无应答，重新排队"},
            )
        NationalReport.objects.bulk_update(rows, ["status", "next_attempt_at", "last_error"])
    return len(rows)


def national_reports_deliver(
    *,
    url: str | None = None,
    seconds: float = 50,
    limit: int = CLAIM_BATCH,
    concurrency: int | None = None,
) -> DeliveryOutcome:
    """Deliver the due rows for at most about ``seconds`` (the periodic task runs every minute).
    Without a target URL nothing is sent (the rows wait). Each claimed batch is POSTed by
    ``concurrency`` threads (``ZHICHENG_NATIONAL_CONCURRENCY``), each over its own kept-alive
    connection, then settled in one transaction."""
    url = url if url is not None else settings.ZHICHENG_NATIONAL_URL
    outcome = DeliveryOutcome()
    if not url:
        return outcome
    outcome.released = national_reports_release_stale()
    timeout = settings.ZHICHENG_NATIONAL_TIMEOUT
    concurrency = max(1, concurrency or settings.ZHICHENG_NATIONAL_CONCURRENCY)
    local = threading.local()
    senders: list[Sender] = []
    lock = threading.Lock()

    def send(row: NationalReport) -> Attempt:
        sender = getattr(local, "sender", None)
        if sender is None:
            sender = local.sender = Sender(url, timeout=timeout)
            with lock:
                senders.append(sender)
        return sender.post(row.payload, row.idempotency_key)

    deadline = time.monotonic() + seconds
    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            while time.monotonic() < deadline:
                rows = national_reports_claim(limit=limit)
                if not rows:
                    break
                attempts = list(pool.map(send, rows))
                for action in national_reports_settle(list(zip(rows, attempts, strict=True))):
                    if action == "deliver":
                        outcome.delivered += 1
                    elif action == "fail":
                        outcome.failed += 1
                    elif action == "retry_later":
                        outcome.retrying += 1
    finally:
        for sender in senders:
            sender.close()
    return outcome
