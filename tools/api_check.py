"""`make api-check`: the OpenAPI schema against the running API, by schemathesis.

A throwaway system: a fresh SQLite database and var directory in a temporary directory,
migrated, the demo data loaded (``manage.py load_demo``), gunicorn on a free loopback port.
Then one schemathesis run per demo account (token authentication), each on the operations that
account works with, with a fixed seed and a bounded number of cases per operation: every
answer must be documented (status code, content type, body schema), schema-valid requests
accepted, schema-invalid ones refused, none slower than 10 s, never a 5xx. Destructive
operations (注销, 撤销, 删除) run too: the database is thrown away afterwards.

    python tools/api_check.py [--max-examples N] [--seed N] [--keep]

Exit status 0 when every run has zero failures. The checks are schemathesis's ``all``; what
is configured is in ``tools/schemathesis.toml`` (with the reason for each setting).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Demo@2026"

# (account, operations it exercises: a path regex, None for all). The province HR officer runs
# every operation (most answer it; the rest must document their 403); the other accounts run
# the operations only they may perform, so that those are tested beyond the 403. They run
# first: the officer's run resets and deregisters committees (and their accounts) on its way.
RUNS = [
    ("auditor", r"^/api/v1/operation-logs"),
    ("committee_eng", r"^/api/v1/plans"),
    ("unit_a", r"^/api/v1/quota-declarations"),
    ("applicant_a", r"^/api/v1/(applications|persons|auth)"),
    ("admin", r"^/api/v1/(specialties|titles|title-series|organizations|imports)"),
    ("hr_province", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def token(base: str, username: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("api-check: the server did not start")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise SystemExit("api-check: the server did not answer within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="zhicheng-api-check-"))
    env = {
        **os.environ,
        "ZHICHENG_VAR_DIR": str(work / "var"),
        "DJANGO_DEBUG": "1",
        "HUEY_IMMEDIATE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # a fresh SQLite file: the run may deregister and delete
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    server = None
    failed = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (work / "server.log").open("w")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "zhicheng.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                # Django answers an over-long query (400 or its page); gunicorn's own 414 is an
                # HTML page of the front server, not of the API.
                "--limit-request-line",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(base, server)
        tokens = {username: token(base, username) for username, _ in RUNS}
        for username, paths in RUNS:
            print(f"== schemathesis as {username}" + (f" ({paths})" if paths else ""), flush=True)
            command = [
                str(BIN / "python"),
                str(ROOT / "tools" / "schemathesis_cli.py"),
                "--config-file",
                str(ROOT / "tools" / "schemathesis.toml"),
                "run",
                f"{base}/api/schema/",
                "--header",
                f"Authorization: Token {tokens[username]}",
                "--seed",
                str(args.seed),
                "--max-examples",
                str(args.max_examples),
                "--no-color",
                "--report",
                "json",
                "--report-dir",
                str(work / "reports" / username),
            ]
            if paths:
                command += ["--include-path-regex", paths]
            if subprocess.run(command, cwd=work, env=env).returncode != 0:
                failed.append(username)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep or failed:
            print(f"api-check: reports and server log in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    minutes, seconds = divmod(int(time.monotonic() - started), 60)
    if failed:
        print(f"api-check: FAILED for {', '.join(failed)} ({minutes} min {seconds} s)")
        return 1
    print(f"api-check: zero failures ({minutes} min {seconds} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
