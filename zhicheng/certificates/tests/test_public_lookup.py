"""证书核验 as gunicorn serves it: through ``zhicheng.wsgi.application``, whose public lookups
skip the signed-in users' middleware (``common/public_lookup.py``). Django's test client builds
a handler of its own with every middleware, so these tests call the WSGI application."""

import io
import json
import sys
import urllib.parse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from zhicheng.common.public_lookup import (
    SIGNED_IN_MIDDLEWARE,
    public_lookup_paths,
    public_middleware,
)
from zhicheng.wsgi import application

PAGE, API = "/verify/", "/api/v1/certificate-verification/"


def _call(path: str, query: dict | None = None, method: str = "GET"):
    """(status code, headers as a list of pairs, body) of one request through the WSGI app."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": urllib.parse.urlencode(query or {}),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "192.0.2.7",
        "CONTENT_LENGTH": "0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=headers)

    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body.decode()


def _header(headers, name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


def test_the_public_stack_drops_only_the_signed_in_middleware():
    # One renamed in the settings would otherwise silently run again.
    assert set(settings.MIDDLEWARE) >= SIGNED_IN_MIDDLEWARE
    kept = public_middleware()
    assert kept == [m for m in settings.MIDDLEWARE if m not in SIGNED_IN_MIDDLEWARE]
    for needed in (
        "django.middleware.security.SecurityMiddleware",
        "zhicheng.common.security.ContentSecurityPolicyMiddleware",
        "zhicheng.common.api.ApiErrorMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ):
        assert needed in kept
    assert public_lookup_paths() == {PAGE, API}


def test_the_page_and_the_api_answer_through_the_public_stack(issued):
    cache.clear()
    certificate = issued[0]
    query = {"number": certificate.number.number, "name": certificate.holding.person.name}
    for path in (PAGE, API):
        status, headers, body = _call(path, query)
        assert status == 200, body[:300]
        assert _header(headers, "Content-Security-Policy")
        assert _header(headers, "X-Frame-Options") == ["DENY"]
        assert _header(headers, "X-Content-Type-Options") == ["nosniff"]
        # No session, no CSRF cookie: nothing is stored for a visitor.
        assert not _header(headers, "Set-Cookie")
        assert certificate.holding.person.id_number not in body
    status, _, body = _call(PAGE, query)
    assert 'data-testid="verify-state"' in body and "有效" in body
    assert json.loads(_call(API, query)[2])["state"] == "valid"
    assert _call(API, {"number": query["number"], "name": "别人"})[0] == 404


def test_nothing_posts_to_the_lookups(issued):
    cache.clear()
    status, _, _ = _call(PAGE, method="POST")
    assert status == 405
    status, _, body = _call(API, method="POST")
    assert status == 405 and json.loads(body)["detail"]


@override_settings(ZHICHENG_RATE_LIMITS={**settings.ZHICHENG_RATE_LIMITS, "verify": "2/hour"})
def test_the_page_and_the_api_share_the_per_address_limit(issued):
    cache.clear()
    certificate = issued[0]
    query = {"number": certificate.number.number, "name": certificate.holding.person.name}
    assert _call(PAGE, query)[0] == 200
    assert _call(API, query)[0] == 200
    status, _, body = _call(PAGE, query)
    assert status == 429 and "查询过于频繁" in body
    assert _call(API, query)[0] == 429


@pytest.mark.parametrize("path", ["/login/", "/verify"])
def test_other_paths_keep_every_middleware(db, path):
    status, headers, _ = _call(path)
    if path == "/login/":
        # The full stack: CSRF sets its cookie on the login form.
        assert status == 200
        assert any(c.strip().startswith("csrftoken=") for c in _header(headers, "Set-Cookie"))
    else:
        assert status == 301 and _header(headers, "Location") == ["/verify/"]


def test_a_failure_is_the_friendly_500_page_and_json(issued, monkeypatch):
    cache.clear()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("zhicheng.certificates.selectors.certificate_verify", broken)
    query = {"number": issued[0].number.number, "name": issued[0].holding.person.name}
    status, _, body = _call(PAGE, query)
    assert status == 500 and "database gone" not in body and "<html" in body
    status, _, body = _call(API, query)
    assert status == 500 and json.loads(body)["detail"] == "服务器内部错误，请稍后重试"


def test_what_was_typed_comes_back_escaped(db):
    cache.clear()
    status, _, body = _call(PAGE, {"number": "1", "name": '"><script>alert(1)</script>'})
    assert status == 200 and "<script>alert" not in body
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body
    assert '<div class="invalid-feedback d-block">证书编号为18位数字</div>' in body
