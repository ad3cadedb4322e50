"""Where a form may send the user back to: only a URL of this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request: HttpRequest, target: str | None, default: str) -> str:
    """``target`` (a ``next`` parameter, a Referer) when it points at this site — same host, and
    https when the request came over https — otherwise ``default``. Keeps a forged ``next`` from
    turning our pages into an open redirect."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
