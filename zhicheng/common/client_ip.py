"""The client address of a request: one policy for the operation log, django-axes' login log
(``AXES_CLIENT_IP_CALLABLE``) and the rate limits, so all three agree."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
