"""审核通过 over HTTP (issue 4's throughput target), a part of ``bench.applications``: gunicorn
with 2 worker processes serves the project (production settings, DEBUG off); wrk (2 threads, 8
connections, 20 s after a 3 s warm-up) posts ``/api/v1/applications/<id>/approve/`` with a
token, each request a different application waiting at the officer's organization. Every
response must be 200 and every approval must be in the database (review records counted
afterwards). The floor is wrk against ``/healthz`` on the same server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WRK_SECONDS = 20
WRK_WARMUP_SECONDS = 3
WRK_CONNECTIONS = 8
WRK_THREADS = 2
WORKERS = 2

# wrk's summary as one JSON line (both scripts end with it).
WRK_DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH {\"requests\": %d, \"seconds\": %.3f, \"connect\": %d, " ..
    "\"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d, \"p50_ms\": %.2f, " ..
    "\"p99_ms\": %.2f}\n", summary.requests, summary.duration / 1e6, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""
# Each thread takes every n-th id of the pool; each request approves the next one.
WRK_SCRIPT = (
    r"""
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  ids = {}
  counter = 0
  local total = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if i % total == tid then table.insert(ids, line) end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Token " .. os.getenv("BENCH_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"opinion": ""}'
end
function request()
  counter = counter + 1
  -- Past the pool the same id is approved again: refused (400), counted as an error.
  local id = ids[counter] or ids[#ids]
  return wrk.format(nil, "/api/v1/applications/" .. id .. "/approve/")
end
"""
    + WRK_DONE
)
FLOOR_SCRIPT = WRK_DONE


# --- approvals over HTTP --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, script: Path, seconds: int, env: dict) -> dict:
    proc = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {proc.stdout[-500:]} {proc.stderr[-500:]}")
    result = json.loads(line[6:])
    result["rate"] = result["requests"] / result["seconds"]
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def measure_http(officer, ids: list[int]) -> dict:
    from rest_framework.authtoken.models import Token

    from zhicheng.applications.models import ReviewRecord

    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    token, _ = Token.objects.get_or_create(user=officer)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    log_path = Path(os.environ.get("ZHICHENG_VAR_DIR", tempfile.gettempdir())) / "gunicorn.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "zhicheng.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        import urllib.request

        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz")
        with tempfile.TemporaryDirectory() as tmp:
            script, floor_script = Path(tmp, "approve.lua"), Path(tmp, "floor.lua")
            script.write_text(WRK_SCRIPT)
            floor_script.write_text(FLOOR_SCRIPT)
            warm_ids, measured_ids = Path(tmp, "warm.txt"), Path(tmp, "ids.txt")
            # The warm-up's share of the pool (a tenth of a scaled-down one).
            split = min(3_000, len(ids) // 10)
            warm_ids.write_text("\n".join(map(str, ids[:split])) + "\n")
            measured_ids.write_text("\n".join(map(str, ids[split:])) + "\n")
            common = {"BENCH_TOKEN": token.key, "BENCH_THREADS": str(WRK_THREADS)}
            warm = _wrk(url, script, WRK_WARMUP_SECONDS, {**common, "BENCH_IDS": str(warm_ids)})
            before = ReviewRecord.objects.filter(actor=officer, action="approve").count()
            run = _wrk(url, script, WRK_SECONDS, {**common, "BENCH_IDS": str(measured_ids)})
            time.sleep(1)  # requests in flight when wrk stopped
            after = ReviewRecord.objects.filter(actor=officer, action="approve").count()
            floor = _wrk(f"{url}/healthz", floor_script, 5, {})
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    run["approvals_recorded"] = after - before
    return {"warmup": warm, "run": run, "floor": floor, "pool": len(ids) - split}
