"""``make serve`` the production way: DEBUG off, deploy checks, collectstatic, migrate, Huey and
gunicorn (gunicorn.conf.py), static files with hashed names and a one-year cache from whitenoise.
The test plays the TLS-terminating proxy (``X-Forwarded-Proto: https``)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers: dict[str, str] | None = None):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as answer:
        return answer


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        ZHICHENG_PROXY_COUNT="1",
        ZHICHENG_VAR_DIR=str(tmp_path / "var"),
        ZHICHENG_STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        HUEY_WORKERS="1",
    )
    # -o: the shared virtualenv is installed already; never reinstall it from a test.
    process = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode(errors="replace"))
            try:
                if _get(base + "/healthz", {"X-Forwarded-Proto": "https"}).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("make serve did not answer /healthz within 120 s")
        yield base, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_serve_serves_pages_and_long_cached_static_files(served):
    base, tmp_path = served
    https = {"X-Forwarded-Proto": "https"}

    login = _get(base + "/login/", https)
    assert login.status == 200
    page = login.read().decode()
    assert "登录" in page
    hashed = re.findall(r'/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js)', page)
    assert hashed, "the page names no hashed static file"
    assert (tmp_path / "static" / "staticfiles.json").is_file()

    asset = _get(base + hashed[0], {**https, "Accept-Encoding": "gzip"})
    assert asset.status == 200
    assert "immutable" in asset.headers["Cache-Control"]
    assert "max-age=315360000" in asset.headers["Cache-Control"]
    assert asset.headers.get("Content-Encoding") == "gzip"

    # Plain http from outside the proxy is sent to https, with HSTS on the https answers.
    plain = _get(base + "/login/")
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")
    assert "max-age=31536000" in login.headers["Strict-Transport-Security"]
