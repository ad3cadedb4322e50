"""Background exports survive a killed worker (issue 9): heartbeat, 已中断 shown within the
stall limit, re-queued by the watch, completed exactly once under a claim that a stale worker
cannot overwrite; work files under the var directory, never in /tmp, removed on failure."""

import datetime as dt
import os
import tempfile

import pytest
from auditlog.models import LogEntry
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from zhicheng.orgs import selectors
from zhicheng.tabular import services, tasks, writer
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export, unregister
from zhicheng.tabular.models import ExportJob, ExportStatus, export_stall_after


def stalled_job(user, *, attempt=1, status=ExportStatus.RUNNING, done=7) -> ExportJob:
    """A job whose worker died: running, its last heartbeat twice the stall limit ago."""
    return ExportJob.objects.create(
        key="organizations",
        actor=user,
        background=True,
        status=status,
        total=99,
        done=done,
        attempt=attempt,
        heartbeat_at=timezone.now() - export_stall_after() * 2,
    )


def files_under(path) -> list[str]:
    if not os.path.isdir(path):
        return []
    return sorted(
        os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs
    )


@pytest.fixture
def system_tmp(tmp_path, monkeypatch):
    """The directory Python's tempfile (and xlsxwriter, by default) writes to."""
    path = tmp_path / "system-tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture
def probe_spec():
    """An organizations export whose 名称 column calls ``probe.hook(name)`` on every row."""

    class Probe:
        hook = staticmethod(lambda name: None)

    probe = Probe()

    def transform(name):
        probe.hook(name)
        return name

    register_export(
        ExportSpec(
            key="test-probe",
            title="探针",
            permission="orgs.view_organization",
            columns=(ExportColumn("名称", "name", transform=transform),),
            queryset=lambda user, params: selectors.organization_list(user=user),
        )
    )
    yield probe
    unregister("test-probe")


# --- Heartbeat and 已中断 ------------------------------------------------------------------


def test_the_worker_beats_a_heartbeat_with_its_progress(hr_city, monkeypatch):
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=1)
    beats: list[tuple[int, dt.datetime]] = []
    original = writer.write_export

    def recording(**kwargs):
        report = kwargs["progress"]

        def progress(done):
            report(done)
            row = ExportJob.objects.get(pk=job.pk)
            beats.append((row.done, row.heartbeat_at))

        return original(**{**kwargs, "progress": progress})

    monkeypatch.setattr(writer, "write_export", recording)
    started = timezone.now()
    services.export_job_run(job_id=job.pk)
    assert [done for done, _ in beats[:2]] == [2, 4]
    assert all(at >= started for _, at in beats)
    assert [at for _, at in beats] == sorted(at for _, at in beats)


def test_heartbeats_are_written_at_most_once_a_second(hr_city, monkeypatch):
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 1)
    beat = services._Heartbeat(job_id=0, claim=1)
    written = []
    monkeypatch.setattr(beat, "beat", lambda done=None: written.append(done))
    for done in range(1, 1000):
        beat(done)
    assert written == []  # a thousand rows within the same second: no write


def test_a_job_without_a_heartbeat_for_a_minute_is_shown_interrupted(client, hr_city, settings):
    settings.EXPORT_STALL_SECONDS = 60
    job = stalled_job(hr_city)
    assert job.is_interrupted
    client.force_login(hr_city)
    html = client.get(
        reverse("tabular:export-job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="interrupted"' in html and "已中断（正在重新排队）" in html
    assert "超过 60 秒没有进展" in html and 'hx-trigger="every 1s"' in html
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    html = client.get(
        reverse("tabular:export-job", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="running"' in html and "已中断" not in html


def test_the_stall_limit_is_a_setting(hr_city, settings):
    job = stalled_job(hr_city)
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=90)
    )
    job.refresh_from_db()
    settings.EXPORT_STALL_SECONDS = 120
    assert not job.is_interrupted
    settings.EXPORT_STALL_SECONDS = 60
    assert job.is_interrupted


# --- The watch: re-queue once, complete once ---------------------------------------------


def test_the_watch_runs_every_minute():
    task = tasks.export_jobs_watch.s()
    assert task.validate_datetime(dt.datetime(2026, 1, 1, 10, 7))
    assert task.validate_datetime(dt.datetime(2026, 1, 1, 10, 8))


def test_a_dead_workers_job_is_requeued_and_completes_once(hr_city, huey_immediate):
    job = stalled_job(hr_city)
    assert services.export_jobs_resume_stale() == 1
    job.refresh_from_db()
    expected = selectors.organization_list(user=hr_city).count()
    assert (job.status, job.attempt, job.done, job.total) == (
        ExportStatus.DONE,
        2,
        expected,
        expected,
    )
    assert files_under(services.exports_root()) == [job.file_path.split("/", 1)[1]]
    assert services.export_jobs_resume_stale() == 0  # done: nothing more to do
    assert LogEntry.objects.filter(additional_data__operation="export").count() == 1


def test_the_watch_marks_the_job_interrupted_before_requeueing(hr_city, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_enqueue_export", queued.append)
    job = stalled_job(hr_city)
    assert services.export_jobs_resume_stale() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.INTERRUPTED and queued == [job.pk]
    # Within the next minutes it is not queued again while the task waits for a worker…
    assert services.export_jobs_resume_stale() == 0 and queued == [job.pk]
    # …only if it is still waiting after EXPORT_REQUEUE_AFTER (a lost task).
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - services.EXPORT_REQUEUE_AFTER * 2
    )
    assert services.export_jobs_resume_stale() == 1 and queued == [job.pk, job.pk]


def test_a_live_workers_job_is_left_alone(hr_city, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_enqueue_export", queued.append)
    job = stalled_job(hr_city)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert services.export_jobs_resume_stale() == 0 and queued == []
    # A duplicate delivery of its task does not start a second run beside the live one.
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.done) == (ExportStatus.RUNNING, 1, 7)


def test_a_pending_job_waits_its_turn_before_being_queued_again(hr_city, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_enqueue_export", queued.append)
    job = ExportJob.objects.create(
        key="organizations", actor=hr_city, background=True, heartbeat_at=timezone.now()
    )
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - export_stall_after() * 2
    )
    assert services.export_jobs_resume_stale() == 0  # a queue backlog is not an interruption
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - services.EXPORT_REQUEUE_AFTER * 2
    )
    assert services.export_jobs_resume_stale() == 1 and queued == [job.pk]
    job.refresh_from_db()
    assert job.status == ExportStatus.PENDING


def test_a_job_interrupted_too_often_fails_with_a_message(hr_city):
    job = stalled_job(hr_city, attempt=services.EXPORT_MAX_ATTEMPTS)
    failed = services.export_job_run(job_id=job.pk)
    assert failed.status == ExportStatus.FAILED
    assert failed.error == "导出多次中断未能完成，请缩小查询范围后重新导出"


def test_a_stale_workers_late_result_cannot_overwrite_the_resumed_run(
    hr_city, huey_immediate, probe_spec, monkeypatch
):
    """Worker A is given up on while still alive; B resumes and finishes. A's next heartbeat
    finds its claim gone: it stops, writes nothing, and its work directory goes."""
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)
    job = ExportJob.objects.create(key="test-probe", actor=hr_city, background=True, total=1)
    seen = {"rows": 0, "a_dirs": None}

    def hook(name):
        seen["rows"] += 1
        if seen["rows"] == 2:  # worker A, mid-run: it stalls, the watch gives it up
            seen["a_dirs"] = os.listdir(services.export_tmp_root())
            ExportJob.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now() - export_stall_after() * 2
            )
            assert services.export_jobs_resume_stale() == 1  # B runs now (Huey inline)

    probe_spec.hook = hook
    result_of_a = services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ExportStatus.DONE, 2)
    assert result_of_a.file_path == job.file_path  # A returned B's result, wrote none of its own
    assert seen["a_dirs"] and seen["a_dirs"][0].startswith(f"job{job.pk}-a1-")
    assert files_under(services.exports_root()) == [job.file_path.split("/", 1)[1]]
    assert os.listdir(services.export_tmp_root()) == []
    assert LogEntry.objects.filter(additional_data__operation="export").count() == 1


def test_a_result_finished_after_losing_the_claim_is_dropped(hr_city, monkeypatch):
    job = ExportJob.objects.create(key="organizations", actor=hr_city, background=True, total=1)
    original = writer.write_export

    def finish_after_takeover(**kwargs):
        written = original(**kwargs)
        ExportJob.objects.filter(pk=job.pk).update(attempt=F("attempt") + 1)  # another run
        return written

    monkeypatch.setattr(writer, "write_export", finish_after_takeover)
    result = services.export_job_run(job_id=job.pk)
    assert (result.status, result.file_path, result.attempt) == (ExportStatus.RUNNING, "", 2)
    assert files_under(services.exports_root()) == []
    assert os.listdir(services.export_tmp_root()) == []
    assert not LogEntry.objects.filter(additional_data__operation="export").exists()


# --- Work files: under the var directory, removed on failure, swept ------------------------


def test_exports_write_under_the_var_directory_never_in_tmp(hr_city, probe_spec, system_tmp):
    during: list[tuple[list, list]] = []
    probe_spec.hook = lambda name: during.append(
        (files_under(system_tmp), files_under(services.export_tmp_root()))
    )
    started = services.export_start(actor=hr_city, key="test-probe", params={}, background=False)
    started.file.close()
    job = ExportJob.objects.create(key="test-probe", actor=hr_city, background=True, total=1)
    services.export_job_run(job_id=job.pk)
    assert during and all(tmp == [] and work for tmp, work in during)
    assert files_under(system_tmp) == [] and files_under(services.export_tmp_root()) == []


def test_the_default_work_directory_is_under_the_var_directory():
    from zhicheng import settings as module

    assert module.VAR_DIR in module.EXPORT_TMP_DIR.parents


@pytest.mark.parametrize("background", [True, False])
def test_a_failing_export_leaves_no_file(hr_city, probe_spec, system_tmp, background):
    def boom(name):
        if boom.rows == 3:
            raise OSError("disk full")
        boom.rows += 1

    boom.rows = 0
    probe_spec.hook = boom
    if background:
        job = ExportJob.objects.create(key="test-probe", actor=hr_city, background=True, total=1)
        failed = services.export_job_run(job_id=job.pk)
        assert (failed.status, failed.error) == (ExportStatus.FAILED, "导出失败，请稍后重试")
    else:
        with pytest.raises(OSError):
            services.export_start(actor=hr_city, key="test-probe", params={}, background=False)
    assert boom.rows == 3
    assert files_under(services.export_tmp_root()) == []
    assert files_under(services.exports_root()) == []
    assert files_under(system_tmp) == []


def test_the_housekeeping_sweeps_what_a_killed_process_left(hr_city, settings):
    old = timezone.now().timestamp() - services.EXPORT_LEFTOVER_GRACE.total_seconds() * 2
    live = stalled_job(hr_city, attempt=4)
    ExportJob.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now())
    root = services.export_tmp_root()
    for name in (f"job{live.pk}-a3-x", f"job{live.pk}-a4-x", "request-x", "fresh-x"):
        (root / name).mkdir()
        (root / name / "row-data").write_bytes(b"x" * 10)
        if name != "fresh-x":
            os.utime(root / name, (old, old))
    exports = services.exports_root()
    exports.mkdir(parents=True)
    kept = ExportJob.objects.create(
        key="organizations", actor=hr_city, file_path="exports/1-kept.xlsx"
    )
    for name in ("1-kept.xlsx", "2-orphan.xlsx", "3-abc.part"):
        (exports / name).write_bytes(b"PK")
        os.utime(exports / name, (old, old))
    assert services.export_leftovers_sweep() == 4
    assert sorted(os.listdir(root)) == ["fresh-x", f"job{live.pk}-a4-x"]  # the live run's
    assert os.listdir(exports) == ["1-kept.xlsx"] and kept.file_path.endswith("1-kept.xlsx")
