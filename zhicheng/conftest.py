"""Shared fixtures: the demo organization tree, users by role, API clients."""

import contextlib
import os
import shutil
import time

import pytest
from rest_framework.test import APIClient

from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create
from zhicheng.orgs.demo import load_demo_organizations

PASSWORD = "Test@2026pw"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and throttles start at zero in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs ~1 s a user on a busy machine; tests that check hashing restore it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def unit_publicity_off(request, settings):
    """单位内部公示 before a unit's approval (units) is required in production; tests written
    before it approve without one. Tests marked ``unit_publicity`` keep the rule on."""
    if request.node.get_closest_marker("unit_publicity") is None:
        settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED = False


@pytest.fixture
def reseeded(transactional_db):
    """A transactional test's flush also empties the data migrations' rows (standard catalog,
    初定 rules): put them back."""
    from django.apps import apps

    from zhicheng.applications.seed import seed as seed_rules
    from zhicheng.catalog.standard import seed as seed_catalog

    seed_catalog(apps)
    seed_rules(apps)


@pytest.fixture
def orgs(db):
    """The demo tree, keyed as in orgs.demo (province, city_nj, county_jn, unit_a, …)."""
    return load_demo_organizations()


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(org, *roles: str, username: str | None = None, **kwargs):
        counter["n"] += 1
        user, _ = user_create(
            username=username or f"user{counter['n']}",
            organization=org,
            roles=list(roles),
            password=PASSWORD,
            must_change_password=kwargs.pop("must_change_password", False),
            **kwargs,
        )
        return user

    return make


@pytest.fixture
def hr_province(orgs, make_user):
    return make_user(orgs["province"], Role.HR_OFFICER, username="t_hr_province")


@pytest.fixture
def hr_city(orgs, make_user):
    return make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_hr_city")


@pytest.fixture
def applicant(orgs, make_user):
    return make_user(orgs["unit_a"], Role.APPLICANT, username="t_applicant")


@pytest.fixture
def api_client():
    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


# --- Browser tests: Debian's Chromium, never a downloaded browser ----------------------------


@pytest.fixture(autouse=True)
def _browser_quiet_before_flush(request):
    """A browser test can end while the page's last HTMX request still runs in the live
    server; the test database's flush (TRUNCATE) then deadlocks with that request. Wait for
    the page's requests in flight to finish first: this fixture requests ``live_server`` and
    ``page`` itself, so it is torn down before them and before the flush."""
    if "page" not in request.fixturenames or "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    page = request.getfixturevalue("page")
    in_flight: set = set()
    page.on("request", lambda r: in_flight.add(r))
    page.on("requestfinished", lambda r: in_flight.discard(r))
    page.on("requestfailed", lambda r: in_flight.discard(r))
    yield
    deadline = time.monotonic() + 10
    with contextlib.suppress(Exception):  # a closed or crashed page has nothing in flight
        while in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # lets Playwright deliver the page's events
        page.wait_for_timeout(100)  # the server closes its side after the last byte


@pytest.fixture(autouse=True)
def _browser_no_csp_violations(request):
    """A browser test fails when any page of its context breaks the Content-Security-Policy
    (an inline script or style, eval, a resource from elsewhere): Chromium reports each on the
    console."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def listen(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    page.context.on("console", listen)
    yield
    if request.node.get_closest_marker("csp_violations_expected"):
        assert violations, "the probe's violation was not reported"
        return
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "csp_violations_expected: the test breaks the CSP on purpose (a probe)"
    )
    config.addinivalue_line(
        "markers", "browser: drives Chromium (set on every test that uses the page fixture)"
    )


def pytest_collection_modifyitems(config, items):
    # `-m "not browser"` leaves them out: CI runs them on SQLite only (.ci/run says why).
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("ZHICHENG_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
