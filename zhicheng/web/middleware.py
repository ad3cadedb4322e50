"""The project's own Chinese error pages, also in development.

``DEBUG`` (the development default) makes Django answer an unknown URL with its English
technical 404 listing every URL pattern, and an uncaught exception with the technical 500
page. Users of a development or trial system must not see those: unless
``ZHICHENG_DEBUG_PAGES=1`` asks for them (an engineer debugging), this middleware answers with
the same ``404.html`` / ``500.html`` production serves. Under ``/api/`` the API's JSON errors
apply (``common.api.ApiErrorMiddleware``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404
from django.views import defaults

from zhicheng.common.api import API_PREFIX

logger = logging.getLogger("django.request")


def _friendly(request) -> bool:
    return (
        settings.DEBUG
        and not settings.ZHICHENG_DEBUG_PAGES
        and not request.path.startswith(API_PREFIX)
    )


class FriendlyErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An unknown URL never reaches a view (so never process_exception): the resolver's 404
        # is recognised by the request having no resolved view.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and _friendly(request)
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not _friendly(request):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, Exception) and not _is_handled_by_django(exception):
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=exception,
                extra={"request": request},
            )
            return defaults.server_error(request)
        return None


def _is_handled_by_django(exception: Exception) -> bool:
    """Exceptions Django turns into their own answers whatever DEBUG says (403, 400)."""
    from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation

    return isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation)
