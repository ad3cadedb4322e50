"""The public lookups that answer at national scale — 证书核验, the page and the machines' API
(every QR scan on every certificate) — served without the middleware that exist for signed-in
users and forms: sessions, CSRF, authentication, messages, the login lockout, the forced
password change, the audit context, HTMX, the upload limit and language negotiation. A
lookup is an anonymous GET that writes nothing; those cost it about 0.1 ms of its 0.6–0.9 ms
in-process (BENCHMARKS.md, 证书核验). Every other middleware (security headers, CSP, error
pages, APPEND_SLASH, frame options, static files) still runs, and one added later runs too
unless it is named here.

``zhicheng.wsgi`` wraps the application with :func:`with_public_lookups`, so gunicorn and
``make run`` serve these paths this way. Django's test client builds its own handler with every
middleware; ``certificates/tests/test_public_lookup.py`` goes through the WSGI application instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

# The URL names of the lookups (their paths come from the URLconf).
PUBLIC_LOOKUP_URL_NAMES = ("verify", "api-certificate-verification")

SIGNED_IN_MIDDLEWARE = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "zhicheng.accounts.middleware.SessionActivityMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "zhicheng.common.uploads.UploadLimitMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "zhicheng.audit.middleware.AuditContextMiddleware",
        "zhicheng.accounts.middleware.ForcePasswordChangeMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)


def public_middleware() -> list[str]:
    """``settings.MIDDLEWARE`` without :data:`SIGNED_IN_MIDDLEWARE`, in its order."""
    return [path for path in settings.MIDDLEWARE if path not in SIGNED_IN_MIDDLEWARE]


class PublicLookupHandler(WSGIHandler):
    """Django's WSGI handler with :func:`public_middleware` only."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django reads the list from the settings only; they are swapped back at once, before
        # anything is served (the application is built once per process, at start).
        everything = settings.MIDDLEWARE
        settings.MIDDLEWARE = public_middleware()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = everything


def public_lookup_paths(url_names: Iterable[str] = PUBLIC_LOOKUP_URL_NAMES) -> frozenset[str]:
    return frozenset(reverse(name) for name in url_names)


def with_public_lookups(application: Callable) -> Callable:
    """``application`` with the public lookups' exact paths sent to a
    :class:`PublicLookupHandler` (any other path, a lookup's without its slash included, to
    ``application``)."""
    public = PublicLookupHandler()
    paths = public_lookup_paths()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") in paths:
            return public(environ, start_response)
        return application(environ, start_response)

    return dispatch
