"""证书报送人社部 at scale (issue 13), on PostgreSQL: 10,000 certificates reported through the
real 全部上报 (``certificates.services.national.certificates_report``), delivered by two real
worker processes (``manage.py national_deliver --loop``: the outbox delivery loop the Huey task
runs, claiming with ``SKIP LOCKED``) to the national-platform simulator (``manage.py
national_simulator``, a process of its own, real HTTP).

The certificates are written in bulk (persons, titles held, numbers, certificate rows; no PDF:
delivery reads only the rows). The workers are started first and wait, as in production; the
clock starts with 全部上报 (its two set-based statements write the outbox rows; each record is
built at its row's first claim) and stops when every row is 已上报. Then the simulator's store must hold 10,000 distinct
idempotency keys and no key twice.

The floor: the same 10,000 records (the stored payloads) POSTed raw with ``http.client`` over
keep-alive connections by as many threads as there are workers, to a fresh simulator — the
HTTP work alone, without the database. Target: ≤ 60 s, 0 duplicates.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.results import Result
from bench.surge import _free_port

TITLE = "证书报送人社部（出站队列 → 国家平台模拟服务）"
DATABASES = ("postgresql",)
COUNT = int(os.environ.get("ZHICHENG_BENCH_NATIONAL_COUNT", 10_000))
WORKERS = 2
TARGET_S = 60.0
FLOOR = f"同样 {COUNT:,} 条记录直接用 http.client（长连接，{WORKERS} 线程）发送到模拟服务"
ROOT = Path(__file__).resolve().parent.parent


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key="national_report.deliver",
            name=f"全部上报 {COUNT:,} 份证书至全部已上报（{WORKERS} 个报送进程）",
            db=db_label,
            unit="s",
            floor_name=FLOOR,
            target_kind="max",
            target=TARGET_S,
        ),
        Result(
            key="national_report.duplicates",
            name="模拟服务重复存储的记录（应为 0）",
            db=db_label,
            unit="",
            target_kind="max",
            target=0,
        ),
    ]


def _setup(make_officer, count: int):
    """The city bureau's officer and issuing unit, and ``count`` issued certificates in bulk."""
    from django.utils import timezone

    from zhicheng.catalog.models import AcquisitionMethod, Title, TitleLevel
    from zhicheng.certificates import services
    from zhicheng.certificates.models import Certificate, CertificateNumber, CertificateStatus
    from zhicheng.orgs.demo import load_demo_organizations
    from zhicheng.persons.models import Person
    from zhicheng.titles.models import TitleHolding

    orgs = load_demo_organizations()
    officer = make_officer(orgs["city_nj"], "bench_national_city")
    unit = services.issuing_unit_create(
        actor=officer, organization=orgs["city_nj"], code="32010001"
    )
    today = timezone.localdate()
    services.certificate_numbers_generate(
        actor=officer, issuing_unit=unit, year=today.year, start=1, end=count
    )
    title = Title.objects.filter(level=TitleLevel.ASSISTANT).order_by("pk").first()
    persons = Person.objects.bulk_create(
        (Person(id_type="passport", id_number=f"NR{n:08d}", name=f"报送{n}") for n in range(count)),
        batch_size=2000,
    )
    holdings = TitleHolding.objects.bulk_create(
        (
            TitleHolding(
                person=person,
                title=title,
                level=title.level,
                acquisition_method=AcquisitionMethod.INITIAL,
                approved_on=today,
                approving_organization=orgs["city_nj"],
            )
            for person in persons
        ),
        batch_size=2000,
    )
    numbers = CertificateNumber.objects.filter(issuing_unit=unit).order_by("sequence")
    Certificate.objects.bulk_create(
        (
            Certificate(
                holding=holding,
                number=number,
                issuing_unit=unit,
                file="certificates/none.pdf",
                sha256="0" * 64,
                status=CertificateStatus.VALID,
                issued_by=officer,
            )
            for holding, number in zip(holdings, numbers.iterator(), strict=True)
        ),
        batch_size=2000,
    )
    return officer


def _simulator(tmp: Path, tag: str) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    store = tmp / f"{tag}.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "national_simulator", "--port", str(port)]
        + ["--store", str(store)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=(tmp / f"{tag}.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{base}/stats", timeout=1) as r:
                if r.status == 200:
                    return proc, f"{base}/certificates", store
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the simulator did not start (see {tmp / f'{tag}.log'})")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _stats(url: str) -> dict:
    base = url.rsplit("/", 1)[0]
    with urllib.request.urlopen(f"{base}/stats", timeout=5) as r:
        return json.loads(r.read())


def _stored_keys(store: Path) -> list[str]:
    if not store.exists():
        return []
    return [json.loads(line)["key"] for line in store.read_text("utf-8").splitlines() if line]


def _floor(url: str, items: list[tuple[str, dict]]) -> float:
    """POST every record raw: ``WORKERS`` threads, one keep-alive connection each."""
    parts = urllib.parse.urlsplit(url)
    chunks = [items[n::WORKERS] for n in range(WORKERS)]
    errors: list[str] = []

    def send(chunk: list[tuple[str, dict]]) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for key, payload in chunk:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            conn.request(
                "POST",
                parts.path,
                body=body,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{key}: {response.status}")
        conn.close()

    threads = [threading.Thread(target=send, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"floor: {len(errors)} errors, e.g. {errors[:3]}")
    return took


def _worker(url: str, tmp: Path, n: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "national_deliver", "--loop", "--url", url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / f"worker{n}.log").open("w"),
    )


def run(db_label: str, make_officer) -> list[Result]:
    from django.db.models import Count

    from zhicheng.certificates.models import NationalReport, NationalReportStatus
    from zhicheng.certificates.services import national

    rows = planned(db_label)
    t = time.perf_counter()
    officer = _setup(make_officer, COUNT)
    setup_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        sim, url, store = _simulator(tmp, "app")
        workers = [_worker(url, tmp, n) for n in range(WORKERS)]
        try:
            time.sleep(3)  # the workers start (Django set-up) and find nothing to do
            started = time.perf_counter()
            outcome = national.certificates_report(actor=officer, everything=True)
            enqueue_s = time.perf_counter() - started
            deadline = started + 600
            delivered = 0
            while time.perf_counter() < deadline:
                delivered = NationalReport.objects.filter(
                    status=NationalReportStatus.DELIVERED
                ).count()
                if delivered >= outcome.reported:
                    break
                time.sleep(0.1)
            took = time.perf_counter() - started
            stats = _stats(url)
        finally:
            for worker in workers:
                _stop(worker)
            _stop(sim)
        keys = _stored_keys(store)
        statuses = dict(
            NationalReport.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        items = [
            (row.idempotency_key, row.payload)
            for row in NationalReport.objects.order_by("pk").only("kind", "payload")
        ]
        floor_sim, floor_url, floor_store = _simulator(tmp, "floor")
        try:
            floor_s = _floor(floor_url, items)
        finally:
            _stop(floor_sim)
        floor_keys = _stored_keys(floor_store)
    duplicates = len(keys) - len(set(keys))
    expected = {key for key, _ in items}
    details = {
        "certificates": COUNT,
        "reported": outcome.reported,
        "delivered": delivered,
        "statuses": statuses,
        "setup_s": round(setup_s, 1),
        "enqueue_s": round(enqueue_s, 2),
        "delivery_s": round(took - enqueue_s, 2),
        "per_second": round(COUNT / took, 1),
        "stored_keys": len(keys),
        "distinct_keys": len(set(keys)),
        "all_expected_keys_stored": set(keys) == expected,
        "simulator": stats,
        "floor_s": round(floor_s, 2),
        "floor_stored": len(floor_keys),
        "workers": WORKERS,
        "load_average": os.getloadavg(),
    }
    if delivered < outcome.reported or set(keys) != expected:
        raise RuntimeError(f"not every certificate was delivered exactly once: {details}")
    rows[0].value, rows[0].floor, rows[0].details = took, floor_s, details
    rows[1].value = float(duplicates)
    return rows
