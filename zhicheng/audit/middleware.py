"""Who did it and from where: the request context of every operation-log entry.

django-auditlog's own middleware is replaced because it reads ``request.user`` before DRF has
authenticated a token (token API writes would have no actor) and takes the client IP from
``X-Forwarded-For`` whatever sent it (anyone could forge the logged address).

:class:`AuditContextMiddleware` only remembers the request; the ``pre_save`` receiver in
:mod:`zhicheng.audit.signals` reads ``request.user`` when an entry is saved, which is after
session *and* token authentication (DRF copies the authenticated user onto the Django request).
"""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.cid import set_cid
from django.http import HttpRequest

from zhicheng.common.client_ip import client_ip

_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "zhicheng_audit_request", default=None
)


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
