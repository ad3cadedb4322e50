"""Content-Security-Policy: on every response, stricter on the files users uploaded.

A small middleware rather than django-csp: the pages need no nonce — every script and style is
a vendored or project static file (no inline ``<script>``, no ``style=``, no ``hx-on``, no htmx
filter expression, which htmx would run through ``Function``) — so the policy is one constant
string, and a view that needs another sets its own header, which the middleware leaves alone.

- :data:`PAGE_POLICY` — every page and API answer: only this origin's scripts, styles, fonts,
  images (and ``data:`` images: Bootstrap's CSS draws its form controls with them); no eval;
  ``<object>`` only for this origin's files (the 电子档案 PDF preview); no framing
  (``frame-ancestors 'none'``, as ``X-Frame-Options: DENY``).
- :data:`API_POLICY` — under ``/api/``: the same, with inline styles allowed (no scripts): the
  ``<style>`` block of Swagger UI's page (``/api/docs/``, served offline) and the ``style=``
  attributes of DRF's browsable API.
- :data:`FILE_POLICY` through :func:`protect_inline_file` — the authorised inline views of
  uploaded or issued files (电子档案 and 方案附件, certificate PDFs): nothing may load or run
  (``default-src 'none'``, ``sandbox``: a PDF or an image shown inline runs no script in this
  origin, even one that slipped past the upload check); they may be framed by this origin's
  pages only (``frame-ancestors 'self'``, ``X-Frame-Options: SAMEORIGIN``), everything else
  stays ``DENY``. Browsers' PDF viewers still render under ``sandbox``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'self'; frame-src 'self'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
API_POLICY = PAGE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
FILE_POLICY = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'self'"


class ContentSecurityPolicyMiddleware:
    """Sends :data:`PAGE_POLICY` (:data:`API_POLICY` under ``/api/``) on every response that
    has no policy of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            api = request.path_info.startswith("/api/")
            response[HEADER] = API_POLICY if api else PAGE_POLICY
        return response


def protect_inline_file(response: HttpResponse) -> HttpResponse:
    """Headers of a stored file served inline: :data:`FILE_POLICY`, framed by this origin only,
    never sniffed into another type, never cached."""
    response[HEADER] = FILE_POLICY
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
