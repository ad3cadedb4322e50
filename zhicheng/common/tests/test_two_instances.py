"""Two application instances behind nginx, sharing one PostgreSQL and one Redis, as a province
runs several machines behind a load balancer (deploy/nginx.conf.template, gunicorn.conf.py).

Each instance is a gunicorn on its own loopback port with the production settings; nginx
terminates TLS (a self-signed certificate) and balances over both; one Huey consumer serves the
shared Redis queue. Shown: a session started on one instance continues on the other; the rate
limits (login lockout, /verify/) count across both; a job queued through one is run by the
shared worker and read back through the other; SIGKILL of one instance under a write load loses
no acknowledged write and nginx sends the rest to the survivor.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
import requests
import urllib3
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PASSWORD = "Demo@2026"
REQUIRED = bool(os.environ.get("ZHICHENG_REQUIRE_BROWSER"))  # CI: every tool must be there

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def _tools_missing() -> str:
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed"
    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            pass
    except psycopg.Error:
        return "PostgreSQL does not answer on 127.0.0.1:5432"
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping()
    except redis.RedisError:
        return "Redis does not answer on 127.0.0.1:6379"
    return ""


# The cluster always runs on PostgreSQL: the suite's PostgreSQL pass runs it, the SQLite one
# need not run the same two minutes again.
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
MISSING = _tools_missing() if ON_POSTGRESQL else ""
if MISSING and REQUIRED:
    raise RuntimeError(f"two-instance test: {MISSING}")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL, reason="runs in the suite's PostgreSQL pass"),
    pytest.mark.skipif(bool(MISSING), reason=MISSING),
]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_http(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args} stopped: {process.stdout.read().decode()}")
        try:
            requests.get(url, timeout=2, verify=False, headers={"X-Forwarded-Proto": "https"})
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


class Cluster:
    def __init__(self) -> None:
        # Not pytest's tmp_path: nginx's workers (user nobody) must read and write here.
        self.base = Path(tempfile.mkdtemp(prefix="zc-two-instances-"))
        self.base.chmod(0o755)
        self.database = f"zc_two_{uuid.uuid4().hex[:10]}"
        self.redis_db = random.randint(8, 15)
        self.ports = {"a": _free_port(), "b": _free_port()}
        self.https_port = _free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        }
        self.env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{self.https_port}",
            ZHICHENG_PROXY_COUNT="1",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{self.database}",
            REDIS_URL=f"redis://127.0.0.1:6379/{self.redis_db}",
            ZHICHENG_VAR_DIR=str(self.base / "var"),  # shared storage, as NFS would be
            ZHICHENG_STATIC_ROOT=str(self.base / "static"),
            ZHICHENG_VERIFY_RATE="3/hour",
            ZHICHENG_EXPORT_BACKGROUND_ROWS="1",  # every export is a job
            GUNICORN_WORKERS="2",  # sync workers, as in production (gunicorn.conf.py)
            GUNICORN_ACCESS_LOG="",
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"manage.py {args}: {result.stdout}{result.stderr}"
        return result.stdout

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_instance(self, name: str) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.start(
            name,
            [gunicorn, "-c", "gunicorn.conf.py", "zhicheng.wsgi:application"],
            {"GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"},
        )
        _wait_http(self.direct(name, "/healthz"), self.processes[name])

    def direct(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def proxied(self, path: str) -> str:
        return f"https://127.0.0.1:{self.https_port}{path}"

    def start_nginx(self) -> None:
        run_dir = self.base / "nginx"
        run_dir.mkdir()
        run_dir.chmod(0o777)
        cert, key = run_dir / "tls.pem", run_dir / "tls.key"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
        )
        config = subprocess.run(
            [sys.executable, "deploy/render_nginx.py"]
            + [f"--upstream=127.0.0.1:{port}" for port in self.ports.values()]
            + [f"--https-listen=127.0.0.1:{self.https_port}"]
            + [f"--http-listen=127.0.0.1:{_free_port()}", "--server-name=127.0.0.1"]
            + [f"--tls-cert={cert}", f"--tls-key={key}", f"--static-root={self.base / 'static'}"]
            + [f"--run-dir={run_dir}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (run_dir / "nginx.conf").write_text(config)
        for path in (self.base / "static").rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (self.base / "static").chmod(0o755)
        self.start(
            "nginx",
            [NGINX, "-e", str(run_dir / "error.log"), "-c", str(run_dir / "nginx.conf")]
            + ["-g", "daemon off;"],
        )
        _wait_http(self.proxied("/healthz"), self.processes["nginx"])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            try:
                self.kill(name, signal.SIGTERM)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                self.kill(name, signal.SIGKILL)
        redis.Redis(host="127.0.0.1", port=6379, db=self.redis_db).flushdb()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        redis.Redis(host="127.0.0.1", port=6379, db=cluster.redis_db).flushdb()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{cluster.database}"')
        cluster.manage("migrate", "--noinput", "-v0")
        cluster.manage("load_demo")
        cluster.manage("collectstatic", "--noinput", "-v0")
        cluster.start_instance("a")
        cluster.start_instance("b")
        cluster.start("worker", [sys.executable, "manage.py", "run_huey", "--workers", "2"])
        cluster.start_nginx()
        yield cluster
    finally:
        cluster.stop()


HTTPS = {"X-Forwarded-Proto": "https"}


def _login(cluster: Cluster, name: str, username: str) -> dict[str, str]:
    """Log in on one instance (as the proxy would pass it on); the cookies it set."""
    page = requests.get(cluster.direct(name, "/login/"), headers=HTTPS, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookies = {"csrftoken": page.cookies["csrftoken"]}
    origin = f"https://127.0.0.1:{cluster.ports[name]}"
    answer = requests.post(
        cluster.direct(name, "/login/"),
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={**HTTPS, "Origin": origin, "Referer": origin + "/login/"},
        cookies=cookies,
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    return {**cookies, "sessionid": answer.cookies["sessionid"]}


def _token(cluster: Cluster, name: str, username: str) -> str:
    answer = requests.post(
        cluster.direct(name, "/api/v1/auth/token/"),
        json={"username": username, "password": PASSWORD},
        headers=HTTPS,
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_a_session_started_on_one_instance_continues_on_the_other(cluster):
    cookies = _login(cluster, "a", "hr_city")
    on_b = requests.get(
        cluster.direct("b", "/"), headers=HTTPS, cookies=cookies, allow_redirects=False
    )
    assert on_b.status_code == 200
    assert "退出" in on_b.text  # a signed-in page, not the login form
    anonymous = requests.get(cluster.direct("b", "/"), headers=HTTPS, allow_redirects=False)
    assert anonymous.status_code == 302


def test_rate_limits_count_across_both_instances(cluster):
    query = "/verify/?number=320100202600000001&name=%E5%BC%A0%E4%B8%89"
    statuses = [
        requests.get(cluster.direct(name, query), headers=HTTPS, timeout=10).status_code
        for name in ("a", "b", "a", "b")
    ]
    assert statuses == [200, 200, 200, 429]  # 3/hour for the address, whichever instance

    # django-axes: 5 failed logins, alternating instances, lock the account on both.
    for attempt in range(5):
        name = "ab"[attempt % 2]
        page = requests.get(cluster.direct(name, "/login/"), headers=HTTPS, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        origin = f"https://127.0.0.1:{cluster.ports[name]}"
        requests.post(
            cluster.direct(name, "/login/"),
            data={"username": "unit_a", "password": "wrong", "csrfmiddlewaretoken": token},
            headers={**HTTPS, "Origin": origin},
            cookies={"csrftoken": page.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=10,
        )
    locked = requests.post(
        cluster.direct("a", "/api/v1/auth/token/"),
        json={"username": "unit_a", "password": PASSWORD},
        headers=HTTPS,
        timeout=10,
    )
    assert locked.status_code in (403, 429), locked.text


def test_a_job_queued_through_one_instance_is_read_back_through_the_other(cluster):
    token = {"Authorization": f"Token {_token(cluster, 'a', 'hr_province')}", **HTTPS}
    started = requests.get(
        cluster.direct("a", "/api/v1/organizations/export/"), headers=token, timeout=30
    )
    assert started.status_code == 202, started.text
    job_path = "/" + started.json()["url"].split("/", 3)[3]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = requests.get(cluster.direct("b", job_path), headers=token, timeout=10).json()
        if job["status"] == "done":
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the export job did not finish: {job}")
    download_path = "/" + job["download"].split("/", 3)[3]
    download = requests.get(cluster.direct("b", download_path), headers=token, timeout=30)
    assert download.status_code == 200
    assert download.content[:2] == b"PK"  # an xlsx


def test_through_nginx_static_files_are_cached_and_oversized_uploads_refused(cluster):
    login = requests.get(cluster.proxied("/login/"), verify=False, timeout=10)
    assert login.status_code == 200
    asset = re.search(r'/static/[^"\']+\.[0-9a-f]{12}\.css', login.text).group(0)
    answer = requests.get(
        cluster.proxied(asset), verify=False, timeout=10, headers={"Accept-Encoding": "gzip"}
    )
    assert answer.status_code == 200
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.headers.get("Content-Encoding") == "gzip"
    too_big = requests.post(
        cluster.proxied("/api/v1/organizations/import/"),
        files={"file": ("大.xlsx", b"0" * (22 * 1024 * 1024))},
        verify=False,
        timeout=30,
    )
    assert too_big.status_code == 413


def test_killing_one_instance_under_load_loses_no_acknowledged_write(cluster):
    token = {"Authorization": f"Token {_token(cluster, 'b', 'hr_province')}"}
    units = requests.get(
        cluster.proxied("/api/v1/issuing-units/"), headers=token, verify=False, timeout=10
    ).json()
    unit = (units["results"] if isinstance(units, dict) else units)[0]["id"]
    year = time.localtime().tm_year
    acknowledged: list[int] = []
    failures: list[str] = []
    statuses_after_kill: list[int] = []
    killed = threading.Event()
    lock = threading.Lock()

    def writer(lane: int) -> None:
        for step in range(40):
            start = 900_000 + lane * 10_000 + step * 10
            try:
                answer = requests.post(
                    cluster.proxied("/api/v1/certificate-numbers/"),
                    json={"issuing_unit": unit, "year": year, "start": start, "end": start + 9},
                    headers=token,
                    verify=False,
                    timeout=30,
                )
                status = answer.status_code
            except requests.RequestException as exc:
                status, answer = 0, exc
            with lock:
                if status == 201:
                    acknowledged.append(answer.json()["id"])
                else:
                    failures.append(f"{status}: {str(getattr(answer, 'text', answer))[:200]}")
                if killed.is_set():
                    statuses_after_kill.append(status)

    lanes = [threading.Thread(target=writer, args=(lane,)) for lane in range(3)]
    for lane in lanes:
        lane.start()
    while len(acknowledged) < 20:
        time.sleep(0.05)
    cluster.kill("a")  # SIGKILL mid-load
    killed.set()
    for lane in lanes:
        lane.join(timeout=300)

    assert len(acknowledged) >= 100, failures
    # Only requests in flight on the killed instance may fail; the rest went to the survivor.
    assert len(failures) <= 3, failures
    assert statuses_after_kill[-10:] == [201] * 10
    with psycopg.connect(cluster.env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
        stored = db.execute(
            "SELECT batch_id, COUNT(*) FROM certificates_certificatenumber "
            "WHERE batch_id = ANY(%s) GROUP BY batch_id",
            (acknowledged,),
        ).fetchall()
    assert {batch: count for batch, count in stored} == {batch: 10 for batch in acknowledged}
