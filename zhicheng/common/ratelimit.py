"""Per-client rate limits for public endpoints (applicant registration): DRF's
``ScopedRateThrottle`` for the API, and the same counter shape for pages.

Both identify the client by ``common.client_ip.client_ip`` (``REMOTE_ADDR`` unless trusted
proxies are configured), so a forged ``X-Forwarded-For`` does not reset the count. Counts live
in Django's cache: configure a shared cache (database or Redis) when several processes serve.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle, SimpleRateThrottle

from zhicheng.common.client_ip import client_ip

# What a refused registration (scope "register": applicants and units alike) is told.
REGISTER_TOO_MANY = "注册尝试过于频繁，请稍后再试"


def _rate(scope: str) -> str:
    return settings.ZHICHENG_RATE_LIMITS[scope]


class ClientScopedRateThrottle(ScopedRateThrottle):
    """``throttle_scope`` on a view → the rate in ``settings.ZHICHENG_RATE_LIMITS``, per client
    address (read at request time, so tests and deployments can change it)."""

    def get_rate(self):
        return _rate(self.scope)

    def get_ident(self, request):
        return client_ip(request) or "unknown"


def rate_limited(request: HttpRequest, scope: str) -> bool:
    """Count one attempt of this client in ``scope``; True when it goes over the rate (the
    attempt should then be refused). A fixed window of the rate's period."""
    number, period = SimpleRateThrottle.parse_rate(None, _rate(scope))
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}"
    # A client's first attempt in the window (most of them on public pages) is one round trip
    # to the cache; later ones two.
    if cache.add(key, 1, timeout=period):
        return number < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > number


class ClientWindowThrottle(BaseThrottle):
    """``throttle_scope`` counted by :func:`rate_limited`: the fixed window the pages use, so
    a scope's page and API share one count per address. For busy public reads (证书核验): a
    client's first attempt in the window is one cache round trip, where DRF's sliding window
    reads and rewrites the client's whole history on every request."""

    def allow_request(self, request, view) -> bool:
        self.scope = view.throttle_scope
        return not rate_limited(request, self.scope)

    def wait(self) -> float:
        # At most the window (the count's remaining lifetime is not read back).
        return SimpleRateThrottle.parse_rate(None, _rate(self.scope))[1]
