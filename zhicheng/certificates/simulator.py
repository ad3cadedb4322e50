"""A national-platform simulator for 证书报送人社部 (1.18): a small stdlib HTTP service
(``manage.py national_simulator``; tests start it on a free port in a thread).

``POST <any path>`` with a JSON body and an ``Idempotency-Key`` header:

- a new key: the record is appended to the store (a JSON-lines file: one
  ``{"key", "received_at", "record"}`` per line) and answered ``200 {"status": "accepted",
  "key", "receipt"}``;
- a key already stored: the same answer again, nothing stored (duplicates are counted);
- no key, or a body that is not a JSON object: ``400``.

Injected faults, each with its share of calls (0–1), drawn per call:

- ``fail``: ``503`` before anything is stored;
- ``timeout``: the record is stored, then the answer waits ``timeout_seconds`` (longer than
  the client's timeout: the client sees no answer although the platform has the record);
- ``drop``: the record is stored and the connection closed without an answer.

``GET /stats`` answers the counts (calls, stored, duplicates, faults) as JSON.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BODY_MAX = 1024 * 1024


@dataclass
class Faults:
    fail: float = 0.0
    timeout: float = 0.0
    drop: float = 0.0
    timeout_seconds: float = 30.0
    seed: int | None = None


@dataclass
class Store:
    """What the simulator received: key → its answer, kept in memory and appended to ``path``."""

    path: Path | None = None
    answers: dict[str, dict] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "calls": 0,
            "stored": 0,
            "duplicates": 0,
            "failed": 0,
            "timed_out": 0,
            "dropped": 0,
            "refused": 0,
        }
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.path is not None and self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    self.records[item["key"]] = item["record"]
                    self.answers[item["key"]] = _answer(item["key"], len(self.answers) + 1)
            self.counts["stored"] = len(self.records)

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def put(self, key: str, record: dict) -> dict:
        """The answer for ``key``: stored once, the same answer for every later call."""
        with self.lock:
            if key in self.answers:
                self.counts["duplicates"] += 1
                return self.answers[key]
            answer = _answer(key, len(self.answers) + 1)
            if self.path is not None:
                line = {"key": key, "received_at": datetime.now(UTC).isoformat(), "record": record}
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.answers[key] = answer
            self.records[key] = record
            self.counts["stored"] += 1
            return answer

    def stats(self) -> dict[str, int]:
        with self.lock:
            return dict(self.counts)


def _answer(key: str, receipt: int) -> dict:
    return {"status": "accepted", "key": key, "receipt": f"NP{receipt:010d}"}


def _handler(store: Store, faults: Faults, rng: random.Random):
    class Handler(BaseHTTPRequestHandler):
        server_version = "NationalSimulator/1"
        protocol_version = "HTTP/1.1"
        # The head and the body of an answer are two writes: with Nagle's algorithm the body
        # waits for the client's delayed ACK of the head (~40 ms) on a kept-alive connection.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/stats"):
                self._send(200, store.stats())
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            store.count("calls")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, BODY_MAX))
            key = (self.headers.get("Idempotency-Key") or "").strip()
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                record = None
            if not key or not isinstance(record, dict):
                store.count("refused")
                self._send(400, {"error": "Idempotency-Key header and a JSON object required"})
                return
            with store.lock:
                draw = rng.random()
            if draw < faults.fail:
                store.count("failed")
                self._send(503, {"error": "simulated failure"})
                return
            answer = store.put(key, record)
            if draw < faults.fail + faults.timeout:
                store.count("timed_out")
                time.sleep(faults.timeout_seconds)
                self.close_connection = True
                return
            if draw < faults.fail + faults.timeout + faults.drop:
                store.count("dropped")
                self.close_connection = True
                return
            self._send(200, answer)

    return Handler


class NationalSimulator:
    """The service: ``start()`` serves in a background thread, ``serve_forever()`` in this one."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        store_path: Path | str | None = None,
        faults: Faults | None = None,
    ) -> None:
        self.faults = faults or Faults()
        self.store = Store(Path(store_path) if store_path else None)
        rng = random.Random(self.faults.seed)
        self.server = ThreadingHTTPServer((host, port), _handler(self.store, self.faults, rng))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/certificates"

    def start(self) -> NationalSimulator:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
