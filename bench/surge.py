"""The deadline-day surge (issue 15), on PostgreSQL with Redis: gunicorn (``gunicorn.conf.py``:
sync workers, ``ZHICHENG_PROXY_COUNT=1``) serves the project; wrk runs ``bench/surge.lua`` with one
connection per thread (8 threads), so each thread follows its applicants step by step.

Set-up through the real services: the demo organization tree with the 初定 · 助理级 route
(employer → competent department → county → city), applicants with complete drafts (身份证 and
学历证书 attached), applications already submitted and waiting at the employer's officer, and
certificates issued and signed by the city bureau.

The mix (percent of requests): 40 public /verify/ (a varying ``X-Forwarded-For``, as nginx sends
for many clients), 15 an applicant reading their application, 5 its attachment list, 15 the
officer's 待审核 list, 5 审核通过, 20 applicants' writes in order — log in (token endpoint),
save the draft, upload a 2 MB PDF (multipart, unique content per upload), save again, submit —
so logins, uploads and submissions are 4 % each and draft saves 8 %.

Measured 30 s after a 5 s warm-up; the floor is the same threads and connections against
``/healthz`` on the same server in the same run. Afterwards every upload wrk saw acknowledged
(201) must be in the database and on disk with the SHA-256 of what was sent (0 lost uploads).
Targets: ≥ 300 req/s, p95 ≤ 300 ms, 0 errors (non-2xx/3xx and socket errors).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.results import Result

TITLE = "截止日高峰（混合负载，gunicorn + PostgreSQL + Redis）"
DATABASES = ("postgresql",)
# ZHICHENG_BENCH_SURGE_SECONDS shortens a trial run.
SECONDS = int(os.environ.get("ZHICHENG_BENCH_SURGE_SECONDS", 30))
WARMUP_SECONDS = 5
THREADS = 8
DRAFTS = int(os.environ.get("ZHICHENG_BENCH_SURGE_DRAFTS", 150))
WAITING = int(os.environ.get("ZHICHENG_BENCH_SURGE_WAITING", 120))
CERTIFICATES = 40
UPLOAD_BYTES = 2 * 1024 * 1024
RATE_TARGET = 300.0
P95_TARGET_MS = 300.0
PASSWORD = "Surge@2026pw"
FLOOR = "同一服务器、同样线程与连接的 /healthz"


def planned(db_label: str) -> list[Result]:
    common = dict(db=db_label, floor_name=FLOOR)
    return [
        Result(
            key="surge.rate",
            name="截止日混合负载吞吐（wrk，8 连接）",
            unit="req/s",
            target_kind="min",
            target=RATE_TARGET,
            **common,
        ),
        Result(
            key="surge.p95",
            name="截止日混合负载 p95",
            unit="ms",
            target_kind="max",
            target=P95_TARGET_MS,
            **common,
        ),
        Result(
            key="surge.lost",
            name="错误数 + 丢失的上传（应为 0）",
            unit="",
            target_kind="max",
            target=0,
            db=db_label,
        ),
    ]


# --- set-up ---------------------------------------------------------------------------------


def _setup(make_officer, tmp: Path) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from zhicheng.accounts.services import api_token_issue
    from zhicheng.applications import services
    from zhicheng.applications.models import AttachmentCategory, Education
    from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title, TitleLevel
    from zhicheng.certificates import services as cert_services
    from zhicheng.certificates.services import issuing
    from zhicheng.common.samples import png_bytes
    from zhicheng.orgs.demo import load_demo_organizations
    from zhicheng.persons.models import Person
    from zhicheng.persons.services import applicant_register
    from zhicheng.routing import services as routing_services
    from zhicheng.routing.models import NodeType, RouteKind
    from zhicheng.titles.models import TitleHolding

    orgs = load_demo_organizations()
    province = make_officer(orgs["province"], "surge_province")
    employer = make_officer(orgs["unit_a"], "surge_employer", employer=True)
    city = make_officer(orgs["city_nj"], "surge_city")
    routing_services.acceptance_office_create(
        actor=province,
        organization=orgs["city_nj"],
        node_type=NodeType.CITY_HR,
        level=TitleLevel.ASSISTANT,
        acquisition_method=AcquisitionMethod.INITIAL,
        notice="材料须真实。",
    )
    for superior, subordinate, node_type in (
        ("city_nj", "county_jn", NodeType.COUNTY_HR),
        ("county_jn", "dept_jn_it", NodeType.COMPETENT_DEPT),
        ("dept_jn_it", "unit_a", NodeType.EMPLOYER),
    ):
        routing_services.route_edge_create(
            actor=province,
            kind=RouteKind.INITIAL,
            level=TitleLevel.ASSISTANT,
            superior=orgs[superior],
            subordinate=orgs[subordinate],
            node_type=node_type,
        )
    title = Title.objects.get(series__code="engineering", name="助理工程师")
    specialty = Specialty.objects.get(code="080201")
    png = png_bytes()
    rows, waiting = [], []
    for n in range(DRAFTS + WAITING):
        person = applicant_register(
            name=f"申报人{n}",
            id_number=_id_number(n),
            mobile=f"139{n:08d}",
            password=PASSWORD,
        )
        app = services.application_create(
            actor=person.user,
            acquisition_method=AcquisitionMethod.INITIAL,
            title=title,
            specialty=specialty,
            employer=orgs["unit_a"],
            committee=None,
            notice_acknowledged=True,
            integrity_pledged=True,
            work_experiences=[
                {"start_date": dt.date(2015, 7, 15), "organization_name": "南京江宁智能装备"}
            ],
            education=Education.BACHELOR,
            school="南京工业大学",
            major="机械设计制造及其自动化",
            graduation_date=dt.date(2015, 6, 30),
            work_start_date=dt.date(2015, 7, 15),
        )
        for category in (AttachmentCategory.ID_CARD, AttachmentCategory.DIPLOMA):
            services.attachment_add(
                actor=person.user,
                application=app,
                category=category,
                upload=SimpleUploadedFile("scan.png", png, "image/png"),
            )
        if n < DRAFTS:
            token = api_token_issue(user=person.user).key
            rows.append(f"{person.user.username}\t{PASSWORD}\t{app.pk}\t{token}")
        else:
            services.application_submit(actor=person.user, application=app)
            waiting.append(str(app.pk))
    # 单位内部公示 (issue 14): the waiting applications were published at the unit for the
    # required working days, the period has ended and the sealed result is uploaded, so the
    # unit's officer may recommend (approve) them.
    from zhicheng.units import services as unit_services

    today = timezone.localdate()
    publicity = unit_services.unit_publicity_create(
        actor=employer,
        applications=[int(pk) for pk in waiting],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=14),
    )
    unit_services.unit_publicity_result_upload(
        actor=employer,
        publicity=publicity,
        upload=SimpleUploadedFile("result.png", png, "image/png"),
        recommendation="同意推荐",
    )
    # Logins cost what they cost in production: the applicants' passwords are stored with the
    # production hasher (Argon2id), which the server below verifies (bench/settings.py).
    from zhicheng.accounts.hashers import OwaspArgon2PasswordHasher
    from zhicheng.accounts.models import User

    hasher = OwaspArgon2PasswordHasher()
    User.objects.filter(username__in=[row.split("\t")[0] for row in rows]).update(
        password=hasher.encode(PASSWORD, hasher.salt())
    )
    # The warm-up and the measured run each have their own applicants and applications.
    for tag, part in (("warm", slice(0, None, 6)), ("run", _rest(6))):
        (tmp / f"applicants-{tag}.tsv").write_text("\n".join(_pick(rows, part)) + "\n")
        (tmp / f"approve-{tag}.txt").write_text("\n".join(_pick(waiting, part)) + "\n")
    # Certificates to verify.
    unit = cert_services.issuing_unit_create(
        actor=city, organization=orgs["city_nj"], code="32010001"
    )
    cert_services.certificate_numbers_generate(
        actor=city, issuing_unit=unit, year=today.year, start=1, end=CERTIFICATES + 10
    )
    people = Person.objects.bulk_create(
        Person(id_number=_id_number(100_000 + n), name=f"持证人{n}") for n in range(CERTIFICATES)
    )
    certs = []
    for person in people:
        holding = TitleHolding.objects.create(
            person=person,
            title=title,
            level=title.level,
            acquisition_method=AcquisitionMethod.INITIAL,
            approved_on=today,
            approving_organization=orgs["city_nj"],
        )
        cert = issuing.certificate_issue(actor=city, holding=holding.pk, issuing_unit=unit)
        number = cert.number.number
        certs.append(f"{number}\t{urllib.parse.quote(person.name)}")
    (tmp / "certs.tsv").write_text("\n".join(certs) + "\n")
    body = _upload_pdf()
    (tmp / "upload.bin").write_bytes(body)
    officer_token = api_token_issue(user=employer).key
    return {"officer_token": officer_token, "template": body, "drafts": len(rows)}


def _upload_pdf() -> bytes:
    """A valid 2 MB one-page PDF whose content stream holds a fixed-width slot that Lua fills
    with the application id, so each upload's bytes (and SHA-256) are its own."""
    lines = [b"% BENCHSLOT000000"] + [b"%" + b"x" * 98] * ((UPLOAD_BYTES - 1000) // 100)
    stream = b"\n".join(lines) + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _rest(step: int):
    return lambda items: [x for n, x in enumerate(items) if n % step]


def _pick(items: list[str], part) -> list[str]:
    return items[part] if isinstance(part, slice) else part(items)


def _id_number(n: int) -> str:
    base = (
        f"3201{(n // 10000) % 100:02d}1990{(n // 100) % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
    )
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(base, weights, strict=True)) % 11]
    return base + check


# --- the run --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(
    url: str,
    script: Path,
    seconds: int,
    env: dict,
    *,
    threads: int = THREADS,
    connections: int | None = None,
) -> dict:
    """Run wrk with ``script`` (whose ``done`` prints one ``BENCH {json}`` line) and read it."""
    proc = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections or threads}", f"-d{seconds}s"]
        + ["--timeout", "10s"]
        + ["--latency", "-s", str(script), url],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {proc.stdout[-500:]} {proc.stderr[-500:]}")
    result = json.loads(line[6:])
    result["rate"] = result["requests"] / result["seconds"]
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    # What the script reported of refused requests (lines "SURGE …" or "REFUSED …").
    refused = [x for x in proc.stderr.splitlines() if x.startswith(("SURGE ", "REFUSED "))]
    result["refused"] = refused[:10]
    return result


FLOOR_LUA = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH {\"requests\": %d, \"seconds\": %.3f, \"connect\": %d, " ..
    "\"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d, \"p50_ms\": %.2f, " ..
    "\"p95_ms\": %.2f, \"p99_ms\": %.2f}\n", summary.requests, summary.duration / 1e6,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _check_uploads(acked: list[str], template: bytes) -> dict:
    from zhicheng.applications.models import Attachment

    lost = []
    for line in acked:
        app_id, att_id = line.split()
        sent = template.replace(b"BENCHSLOT000000", f"{int(app_id):015d}".encode())
        expected = hashlib.sha256(sent).hexdigest()
        att = Attachment.objects.filter(pk=att_id if att_id.isdigit() else 0).first()
        ok = att is not None and att.application_id == int(app_id) and att.sha256 == expected
        if ok:
            with att.file.open("rb") as f:
                ok = hashlib.sha256(f.read()).hexdigest() == expected
        if not ok:
            lost.append(line)
    return {"acknowledged": len(acked), "lost": len(lost), "lost_examples": lost[:5]}


def _serve(port: int, name: str = "surge") -> subprocess.Popen:
    """gunicorn with ``gunicorn.conf.py`` and the benchmark's settings, behind one trusted proxy
    (``ZHICHENG_PROXY_COUNT=1``), once it answers /healthz; its log is ``gunicorn-<name>.log``."""
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "ZHICHENG_BENCH_PRODUCTION_HASHER": "1",
        "ZHICHENG_PROXY_COUNT": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    log = Path(os.environ.get("ZHICHENG_VAR_DIR", tempfile.gettempdir())) / f"gunicorn-{name}.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py")]
        + ["zhicheng.wsgi:application"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not answer /healthz (see {log})")


def run(db_label: str, make_officer) -> list[Result]:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    rows = planned(db_label)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        t = time.perf_counter()
        data = _setup(make_officer, tmp)
        setup_s = time.perf_counter() - t
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        script = Path(__file__).resolve().parent / "surge.lua"
        floor_script = tmp / "floor.lua"
        floor_script.write_text(FLOOR_LUA)
        env = {
            "BENCH_DIR": str(tmp),
            "BENCH_THREADS": str(THREADS),
            "BENCH_OFFICER_TOKEN": data["officer_token"],
        }
        server = _serve(port)
        try:
            warm = _wrk(url, script, WARMUP_SECONDS, {**env, "BENCH_TAG": "warm"})
            mix = _wrk(url, script, SECONDS, {**env, "BENCH_TAG": "run"})
            floor = _wrk(f"{url}/healthz", floor_script, min(SECONDS, 10), {})
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        acked = []
        for tag in ("warm", "run"):
            path = tmp / f"{tag}-acked.txt"
            if path.exists():
                acked += [x for x in path.read_text().splitlines() if x.strip()]
        uploads = _check_uploads(acked, data["template"])
    details = {
        "setup_s": round(setup_s, 1),
        "drafts": data["drafts"],
        "waiting": WAITING,
        "threads_connections": THREADS,
        "seconds": SECONDS,
        "load_average": os.getloadavg(),
        "warmup": warm,
        "mix": mix,
        "floor": floor,
        "uploads": uploads,
        "floor_rps_over_mix_rps": round(floor["rate"] / mix["rate"], 2) if mix["rate"] else None,
    }
    rate, p95, fp95 = rows[0], rows[1], floor["p95_ms"]
    rate.value, rate.floor, rate.details = mix["rate"], floor["rate"], details
    p95.value, p95.floor = mix["p95_ms"], fp95
    bad = mix["errors"] + warm["errors"] + uploads["lost"]
    rows[2].value = float(bad)
    return rows
