"""The idle timeout without a session write per request: SessionActivityMiddleware stamps the
session at most once a minute, and only the stamp (or a real change) saves it."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhicheng.accounts.middleware import ACTIVITY_KEY
from zhicheng.accounts.tests.timetravel import travel
from zhicheng.conftest import PASSWORD

TYPEAHEAD = "/api/v1/organizations/?search=南京"
HOME = "/"
SECOND = dt.timedelta(seconds=1)
IDLE = dt.timedelta(seconds=settings.ZHICHENG_SESSION_IDLE_SECONDS)
GRANULARITY = dt.timedelta(seconds=settings.ZHICHENG_SESSION_ACTIVITY_SECONDS)


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def get(client, url):
    """``(response, session writes)`` of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, session_writes(queries)


def after_stamp(client, seconds: int) -> dt.timedelta:
    """The clock shift that makes it read ``seconds`` after the session's activity stamp. The
    stamp is in whole seconds and the test itself takes time, so a shift counted from "now"
    could cross the minute (the stamp at x.9 s, "59 s later" read at x+60.0 s)."""
    stamp = client.session[ACTIVITY_KEY]
    return dt.datetime.fromtimestamp(stamp + seconds, dt.UTC) - timezone.now()


def expire_date(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.fixture
def logged_in(client, hr_city):
    """A page login, then one request: the session carries a fresh activity stamp."""
    response = client.post("/login/", {"username": "t_hr_city", "password": PASSWORD})
    assert response.status_code == 302
    assert isinstance(client.session[ACTIVITY_KEY], int)
    return client


def test_the_settings_no_longer_save_the_session_on_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.ZHICHENG_SESSION_ACTIVITY_SECONDS == 60
    # The stored expiry lags the last request by less than the granularity: it is added.
    assert settings.SESSION_COOKIE_AGE == (
        settings.ZHICHENG_SESSION_IDLE_SECONDS + settings.ZHICHENG_SESSION_ACTIVITY_SECONDS
    )


def test_typeahead_keystrokes_within_the_minute_do_not_write_the_session(logged_in):
    stamp = logged_in.session[ACTIVITY_KEY]
    expires = expire_date(logged_in)
    for seconds in (0, 1, 20, 59):
        with travel(after_stamp(logged_in, seconds)):
            response, writes = get(logged_in, TYPEAHEAD)
        assert response.status_code == 200
        assert response.wsgi_request.session.modified is False
        assert writes == []
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert logged_in.session[ACTIVITY_KEY] == stamp
    assert expire_date(logged_in) == expires


def test_a_request_after_the_minute_writes_the_stamp_and_pushes_the_expiry(logged_in):
    stamp = logged_in.session[ACTIVITY_KEY]
    expires = expire_date(logged_in)
    with travel(GRANULARITY + SECOND):
        response, writes = get(logged_in, TYPEAHEAD)
    assert response.status_code == 200
    assert response.wsgi_request.session.modified is True
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
    assert logged_in.session[ACTIVITY_KEY] >= stamp + 61
    assert expire_date(logged_in) >= expires + GRANULARITY


def test_an_old_stamp_in_the_stored_session_makes_the_next_request_write(logged_in):
    session = logged_in.session
    session[ACTIVITY_KEY] -= 61
    session.save()
    response, writes = get(logged_in, HOME)
    assert response.status_code == 200
    assert len(writes) == 1
    assert response.wsgi_request.session.modified is True


def test_a_stamp_from_the_future_is_replaced_not_trusted(logged_in):
    """A clock set back must not stop the stamping (the expiry would stop moving)."""
    session = logged_in.session
    session[ACTIVITY_KEY] += 3600
    session.save()
    response, writes = get(logged_in, HOME)
    assert len(writes) == 1
    assert logged_in.session[ACTIVITY_KEY] <= session[ACTIVITY_KEY] - 3600 + 1


def test_an_active_user_is_never_logged_out(logged_in):
    """The worst case: the last request did not stamp (59 s after the stamp), then the user is
    away for just under the idle time — still logged in. Then requests every 59 s, for longer
    than the idle time: never logged out."""
    with travel(after_stamp(logged_in, 59)):
        assert get(logged_in, HOME)[1] == []
    elapsed = after_stamp(logged_in, 59) + IDLE - SECOND
    with travel(elapsed):
        response, writes = get(logged_in, HOME)
    assert response.status_code == 200 and len(writes) == 1
    for _ in range(IDLE // (59 * SECOND) + 2):
        elapsed += 59 * SECOND
        with travel(elapsed):
            assert get(logged_in, TYPEAHEAD)[0].status_code == 200


def test_an_idle_user_is_logged_out_within_a_minute_of_the_idle_time(logged_in):
    with travel(after_stamp(logged_in, 59)):
        assert get(logged_in, HOME)[1] == []  # activity that did not move the expiry
    with travel(IDLE + GRANULARITY + SECOND):
        assert is_login_redirect(logged_in.get(HOME))
        assert logged_in.get(TYPEAHEAD).status_code in (401, 403)


def test_anonymous_requests_and_logouts_leave_no_session_behind(client, hr_city):
    response, writes = get(client, "/login/")
    assert response.status_code == 200 and writes == []
    client.post("/login/", {"username": "t_hr_city", "password": PASSWORD})
    assert Session.objects.count() == 1
    client.post("/logout/")
    assert Session.objects.count() == 0
    response, writes = get(client, "/login/")
    assert writes == [] and Session.objects.count() == 0


def test_an_expired_session_cookie_creates_no_new_session(logged_in):
    with travel(IDLE + GRANULARITY + SECOND):
        response, writes = get(logged_in, HOME)
    assert is_login_redirect(response)
    assert writes == []
