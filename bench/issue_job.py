"""Batch certificate issuing as a job (issue 13: 10,000 certificates on 2 cores in ≤ 3 minutes,
≥ 0.8 × the raw render + sign floor's throughput). PostgreSQL only.

Set up: the demo organization tree, the Nanjing city bureau's issuing unit with this year's
pool, and ``ZHICHENG_BENCH_ISSUE_JOB_COUNT`` (default 10,000) titles held, written with
``bulk_create``. Then:

- the application: the 批量发放证书 job created through
  ``certificates.services.issue_jobs.issue_job_create`` for all of them, run by
  ``manage.py issue_job_run <id>`` in a process of its own — what the Huey task does — which
  renders and signs through its pool of ``ZHICHENG_ISSUE_JOB_PROCESSES`` (here 2) processes;
  wall-clock from the command's start to its end (Python and Django start-up included). At the
  end the job must say 已完成 with every certificate issued, and the database must hold
  exactly N certificates 有效 with N distinct numbers, each with its PDF stored (else the
  benchmark fails);
- the floor: the same pages (``certificates.pdf.render`` + ``certificates.pdf.sign``, no
  database, no storage) in 2 processes in parallel over a sample of 600 holdings, measured
  after each process has warmed up, once before and once after the job, extrapolated to N.

Results: the job's total seconds (target ≤ 180 s; the floor column is the floor's time for N)
and the throughput ratio, job certificates/s ÷ floor certificates/s (target ≥ 0.8).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import time

from bench.results import Result

TITLE = "批量发放证书任务（签名 PDF，2 进程）"
DATABASES = ("postgresql",)
COUNT = int(os.environ.get("ZHICHENG_BENCH_ISSUE_JOB_COUNT", 10_000))
PROCESSES = 2
FLOOR_SAMPLE = 600
TARGET_SECONDS = 180
TARGET_THROUGHPUT = 0.8
FLOOR_NAME = f"同一页面 reportlab 绘制 + pyHanko 签名，{PROCESSES} 进程并行（不含数据库与存储）"


def planned(db_label: str) -> list[Result]:
    return [
        Result(
            key="issue_job.total",
            name=f"批量发放证书任务，共 {COUNT} 份，总耗时",
            db=db_label,
            unit="s",
            floor_name=FLOOR_NAME,
            target_kind="max",
            target=TARGET_SECONDS,
        ),
        Result(
            key="issue_job.throughput",
            name="批量发放证书任务吞吐量 ÷ 直接绘制签名吞吐量",
            db=db_label,
            unit="×",
            floor_name=FLOOR_NAME,
            target_kind="min",
            target=TARGET_THROUGHPUT,
        ),
    ]


def _setup(make_officer, count: int):
    from django.utils import timezone

    from zhicheng.catalog.models import AcquisitionMethod, Title, TitleLevel
    from zhicheng.certificates import services
    from zhicheng.orgs.demo import load_demo_organizations
    from zhicheng.persons.models import Person
    from zhicheng.titles.models import TitleHolding

    orgs = load_demo_organizations()
    officer = make_officer(orgs["city_nj"], "bench_issue_job")
    unit = services.issuing_unit_create(
        actor=officer, organization=orgs["city_nj"], code="32010001"
    )
    today = timezone.localdate()
    services.certificate_numbers_generate(
        actor=officer, issuing_unit=unit, year=today.year, start=1, end=count + 10
    )
    title = Title.objects.filter(level=TitleLevel.ASSISTANT).order_by("pk").first()
    people = Person.objects.bulk_create(
        (Person(id_number=f"3201151990{n:08d}", name=f"持证人{n}") for n in range(count)),
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
            for person in people
        ),
        batch_size=2000,
    )
    return officer, unit, [h.pk for h in holdings]


# --- The floor: render + sign in PROCESSES processes ----------------------------------------


def _floor_init() -> None:
    import django

    django.setup()


def _floor_page(text) -> int:
    from zhicheng.certificates import pdf

    return len(pdf.sign(pdf.render(text), location=text.issuing_unit))


def _floor(unit, holding_ids: list[int]) -> tuple[float, int]:
    """Seconds for the sample's pages rendered and signed in PROCESSES processes (after a
    warm-up page per process), and the sample's size."""
    from django.utils import timezone

    from zhicheng.certificates.services import issuing
    from zhicheng.titles.models import TitleHolding

    today = timezone.localdate()
    holdings = TitleHolding.objects.select_related(
        "person", "title__series", "specialty", "approving_organization", "application"
    ).filter(pk__in=holding_ids[:FLOOR_SAMPLE])
    texts = [
        issuing._text(h, f"32010001{today.year}{900000 + n:06d}", unit, today)
        for n, h in enumerate(holdings)
    ]
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES, initializer=_floor_init) as pool:
        pool.map(_floor_page, texts[: PROCESSES * 4], chunksize=1)  # imports, font, key
        started = time.perf_counter()
        pool.map(_floor_page, texts, chunksize=4)
        return time.perf_counter() - started, len(texts)


# --- The application: the job ----------------------------------------------------------------


def _run_job(job_id: int) -> float:
    from django.conf import settings

    env = {**os.environ, "ZHICHENG_ISSUE_JOB_PROCESSES": str(PROCESSES)}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "manage.py", "issue_job_run", str(job_id)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    # What the runner and its render processes said (kept for a failed run's post-mortem).
    log = os.path.join(os.environ.get("ZHICHENG_VAR_DIR", "."), "issue_job_run.log")
    with open(log, "w", encoding="utf-8") as handle:
        handle.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"issue_job_run failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return took


def _check(job_id: int, count: int) -> dict:
    """The job finished with every certificate issued once: fail the benchmark otherwise."""
    from django.db.models import Count

    from zhicheng.certificates.models import Certificate, CertificateStatus, IssueJob

    job = IssueJob.objects.get(pk=job_id)
    issued = Certificate.objects.filter(status=CertificateStatus.VALID).exclude(file="")
    figures = issued.aggregate(certificates=Count("pk"), numbers=Count("number", distinct=True)) | {
        "job_status": job.status,
        "job_done": job.done,
        "job_failed": job.failed,
    }
    expected = {
        "certificates": count,
        "numbers": count,
        "job_status": "finished",
        "job_done": count,
        "job_failed": 0,
    }
    if figures != expected or Certificate.objects.count() != count:
        raise RuntimeError(
            f"the job did not issue each certificate once: {figures} {job.error[:300]}"
        )
    return figures


def run(*, db_label: str, make_officer) -> list[Result]:
    from django.conf import settings

    from zhicheng.certificates.services import issue_jobs

    officer, unit, holding_ids = _setup(make_officer, COUNT)
    before_seconds, sample = _floor(unit, holding_ids)

    # The job is run here by its own process; its queue message must not start a second run
    # in a consumer elsewhere.
    issue_jobs._queue = lambda job_id: None
    job = issue_jobs.issue_job_create(actor=officer, issuing_unit=unit, holding_ids=holding_ids)
    load_before = os.getloadavg()
    took = _run_job(job.pk)
    load_after = os.getloadavg()
    figures = _check(job.pk, COUNT)
    # The floor again after the job (the machine's load may change during the run): the
    # floor's rate is that of both runs together.
    after_seconds, _ = _floor(unit, holding_ids)
    floor_rate = 2 * sample / (before_seconds + after_seconds)
    shutil.rmtree(os.path.join(settings.MEDIA_ROOT, "private", "certificates"), ignore_errors=True)

    job_rate = COUNT / took
    total, throughput = planned(db_label)
    total.value = took
    total.floor = COUNT / floor_rate
    throughput.value = job_rate / floor_rate
    details = {
        "certificates": COUNT,
        "processes": PROCESSES,
        "job_certificates_per_s": round(job_rate, 1),
        "floor_certificates_per_s": round(floor_rate, 1),
        "floor_sample": sample,
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        **figures,
    }
    total.details = throughput.details = details
    return [total, throughput]
