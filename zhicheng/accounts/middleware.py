from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

ACTIVITY_KEY = "_zc_activity"


class SessionActivityMiddleware:
    """Keeps a used session alive with at most one session write a minute.

    The idle timeout is the session's own expiry (``SESSION_COOKIE_AGE``), pushed forward each
    time the session is saved. Saving on every request (``SESSION_SAVE_EVERY_REQUEST``) cost a
    database write per request — each keystroke of a typeahead. Instead this stamps the time
    into the session only when the last stamp is ``ZHICHENG_SESSION_ACTIVITY_SECONDS`` (60)
    old or more, and only that stamp makes the session save. Between two stamps the stored
    expiry lags the last request by less than that granularity, so ``SESSION_COOKIE_AGE`` is the
    idle timeout *plus* the granularity (settings.py): an idle session ends between the
    configured idle time and one minute later, never earlier.

    Sits just inside ``SessionMiddleware``, so it runs after the view (a login or logout has
    happened) and before the session is saved. A session that is empty (anonymous, logged out,
    expired) is left alone: stamping it would create a session row for nobody.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.granularity = int(settings.ZHICHENG_SESSION_ACTIVITY_SECONDS)

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        stamp = session.get(ACTIVITY_KEY)
        if session.is_empty():  # the cookie named an unknown or expired session
            return response
        now = int(timezone.now().timestamp())
        # Also restamp when the session is saved anyway (a login), and when the clock went
        # backwards (a stamp in the future would otherwise stop the stamping).
        if (
            session.modified
            or not isinstance(stamp, int)
            or not 0 <= now - stamp < self.granularity
        ):
            session[ACTIVITY_KEY] = now
        return response


class ForcePasswordChangeMiddleware:
    """A user created with a default password must set their own before doing anything else.

    Pages redirect to the change page (HTMX requests get ``HX-Redirect`` so the whole page
    changes, not a fragment). The API is left to the DRF authentication classes in
    ``zhicheng.common.api``, which answer 403 with a Chinese message: token users are only
    known after DRF has authenticated them.
    """

    allowed_prefixes = ("/password/", "/logout/", "/static/", "/healthz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.allowed_prefixes)
        ):
            url = reverse("accounts:password-change")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)
