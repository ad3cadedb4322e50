"""Who did it and from where: the request context of every operation-log entry.

django-auditlog's own middleware is replaced because it reads ``request.user`` before DRF has
authenticated a token (token API writes would have no actor) and takes the client IP from
``X-Forwarded-For`` whatever sent it (anyone could forge the logged address).

:class:`AuditContextMiddleware` only remembers the request; the ``pre_save`` receiver in
:mod:`zhicheng.audit.signals` reads ``request.user`` when an entry is saved, which is after
session *and* token authentication (DRF copies the authenticated user onto the Django request).
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from auditlog.cid import set_cid
from django.conf import settings
from django.http import HttpRequest

_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "zhicheng_audit_request", default=None
)


def _valid_ip(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:].split("]")[0]
    elif value.count(":") == 1:  # "203.0.113.5:443"
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client address: ``REMOTE_ADDR`` unless ``ZHICHENG_PROXY_COUNT`` proxies are trusted.

    With N trusted reverse proxies in front, each appends the address it received the request
    from to ``X-Forwarded-For``; only the last N entries were written by our proxies, and the
    client is the N-th from the right. Whatever the client itself put in the header (further
    left) is ignored. Also used by django-axes (``AXES_CLIENT_IP_CALLABLE``), so the login log
    and the operation log agree.
    """
    remote_addr = _valid_ip(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "ZHICHENG_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote_addr
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid_ip(candidate) or remote_addr


def current_request() -> HttpRequest | None:
    """The request being served by this thread/task, if any."""
    return _current_request.get()


def current_client_ip() -> str | None:
    """The client address of the current request: for a service that hands work to a background
    job, to pass on as ``operation_record(remote_addr=...)`` (a job has no request)."""
    request = _current_request.get()
    return getattr(request, "audit_client_ip", None) if request is not None else None


class AuditContextMiddleware:
    """Makes the current request available to operation-log entries saved while serving it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        set_cid(request)  # auditlog's correlation id (X-Correlation-ID header), as before
        request.audit_client_ip = client_ip(request)
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
