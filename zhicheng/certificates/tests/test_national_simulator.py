"""The national-platform simulator: a key is stored once and answered the same every time;
bad calls are 400; faults are injected by share; the store survives a restart; the management
command serves it."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from zhicheng.certificates.services.national import post_record
from zhicheng.certificates.simulator import Faults, NationalSimulator


def _post(url, body: bytes, key: str | None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def sim(tmp_path):
    simulator = NationalSimulator(store_path=tmp_path / "np.jsonl").start()
    yield simulator
    simulator.stop()


def test_a_key_is_stored_once_and_answered_the_same(sim, tmp_path):
    first = _post(sim.url, json.dumps({"a": 1}).encode(), "N1:issue")
    again = _post(sim.url, json.dumps({"a": 1}).encode(), "N1:issue")
    assert first == again and first[0] == 200 and first[1]["key"] == "N1:issue"
    assert _post(sim.url, b"{}", "N2:issue")[1]["receipt"] != first[1]["receipt"]
    assert len((tmp_path / "np.jsonl").read_text().splitlines()) == 2
    stats = json.loads(urllib.request.urlopen(sim.url.rsplit("/", 1)[0] + "/stats").read())
    assert (stats["calls"], stats["stored"], stats["duplicates"]) == (3, 2, 1)
    # A restart keeps the store: the same key is still a duplicate.
    restarted = NationalSimulator(store_path=tmp_path / "np.jsonl").start()
    try:
        assert _post(restarted.url, b"{}", "N1:issue") == first
        assert restarted.store.stats()["duplicates"] == 1
    finally:
        restarted.stop()


def test_bad_calls_are_refused(sim):
    assert _post(sim.url, b"{}", None)[0] == 400
    assert _post(sim.url, b"not json", "K")[0] == 400
    assert _post(sim.url, b"[1]", "K")[0] == 400
    assert sim.store.stats()["stored"] == 0


def test_faults_fail_time_out_and_drop(tmp_path):
    for faults, expect_error, stored in (
        (Faults(fail=1), "HTTP 503", 0),
        (Faults(timeout=1, timeout_seconds=1), "timed out", 1),
        (Faults(drop=1), "RemoteDisconnected", 1),
    ):
        simulator = NationalSimulator(faults=faults).start()
        try:
            attempt = post_record(simulator.url, {"a": 1}, "K:issue", timeout=0.3)
            assert not attempt.ok and expect_error in attempt.error, attempt.error
            assert simulator.store.stats()["stored"] == stored
        finally:
            simulator.stop()


def test_the_management_command_serves(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = tmp_path / "cmd.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "national_simulator",
            "--port",
            str(port),
            "--store",
            str(store),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/certificates"
        for _ in range(100):
            try:
                assert post_record(url, {"a": 1}, "C:issue", timeout=1).ok
                break
            except AssertionError:
                time.sleep(0.1)
        assert json.loads(store.read_text().splitlines()[0])["key"] == "C:issue"
    finally:
        process.terminate()
        process.wait(timeout=10)
