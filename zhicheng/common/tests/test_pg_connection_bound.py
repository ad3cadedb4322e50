"""`make run` on PostgreSQL keeps its database connections bounded (issue 9, point 1).

The development server starts a thread per request; persistent connections (CONN_MAX_AGE > 0)
stayed with the dead threads, one idle backend per request, until PostgreSQL refused every
client. The settings now lend connections from a bounded pool per process. This test serves
the test database with the real development server, as `make run` does, fires 500 requests at
it from several threads and watches ``pg_stat_activity`` during and after.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from zhicheng.accounts.roles import Role

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs PostgreSQL (DATABASE_URL)",
)

ROOT = Path(__file__).resolve().parents[3]
REQUESTS = 500
CLIENT_THREADS = 10
# Idle backends are what ran PostgreSQL out of connections: the default pool size (8) is the
# most one served process may hold, whatever its number of requests.
BOUND = 8
APPLICATION_NAME = "zhicheng-connection-bound-test"
PATHS = ("/healthz", "/api/v1/organizations/", "/api/v1/operation-logs/", "/login/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _backends(database: str) -> int:
    """Backends the served process holds on the database (labelled by application_name: this
    test process has connections of its own there)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [database, APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def _url_of(database: str) -> str:
    """DATABASE_URL (as the suite was started with) pointing at ``database``, labelled."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    query = urllib.parse.parse_qsl(url.query) + [("application_name", APPLICATION_NAME)]
    return url._replace(path=f"/{database}", query=urllib.parse.urlencode(query)).geturl()


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"development server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"development server did not answer:\n{log.read_text()[-3000:]}")


def test_the_development_server_keeps_postgresql_connections_bounded(
    reseeded, orgs, make_user, tmp_path
):
    officer = make_user(
        orgs["province"], Role.HR_OFFICER, Role.AUDIT_ADMIN, username="t_pool_officer"
    )
    token = Token.objects.create(user=officer).key  # lint: allow (DRF's own token row)
    database = connection.settings_dict["NAME"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _url_of(database),
        "ZHICHENG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "zhicheng.settings",
    }
    env.pop("ZHICHENG_PG_POOL_SIZE", None)  # the default, as `make run` has it
    log = tmp_path / "runserver.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(base, server, log)
        statuses: list[int] = []
        errors: list[str] = []
        peak = {"backends": 0}

        def fire(start: int) -> None:
            for i in range(start, REQUESTS, CLIENT_THREADS):
                request = urllib.request.Request(
                    base + PATHS[i % len(PATHS)], headers={"Authorization": f"Token {token}"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        response.read()
                        statuses.append(response.status)
                except OSError as exc:  # HTTPError included: a 500 is a failure too
                    errors.append(f"{request.full_url}: {exc}")

        clients = [threading.Thread(target=fire, args=(n,)) for n in range(CLIENT_THREADS)]
        for client in clients:
            client.start()
        while any(client.is_alive() for client in clients):
            peak["backends"] = max(peak["backends"], _backends(database))
            time.sleep(0.05)
        time.sleep(0.5)  # let the last requests return their connections
        after = _backends(database)

        assert errors == []
        assert len(statuses) == REQUESTS and set(statuses) == {200}
        assert peak["backends"] <= BOUND, f"{peak['backends']} backends during the run"
        assert after <= BOUND, f"{after} backends after the run"
    finally:
        server.terminate()
        server.wait(timeout=30)
