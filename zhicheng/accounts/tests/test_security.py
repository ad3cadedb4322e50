"""Login security: hashing, password rules, lockout, login log, idle timeout, forced change,
production settings."""

import datetime as dt
import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from zhicheng.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create
from zhicheng.accounts.tests.timetravel import travel
from zhicheng.common.errors import ApplicationError
from zhicheng.conftest import PASSWORD

LOGIN_URL = "/login/"
HOME_URL = "/"
CHANGE_URL = "/password/change/"
NEW_PASSWORD = "Xin#Mima2026"


def page_login(client, username, password, ip="127.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


# --- Hashing and password rules --------------------------------------------------------------


def test_passwords_are_stored_as_argon2_hashes(orgs, settings):
    from zhicheng import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("OwaspArgon2PasswordHasher")
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # undo the fast test hasher
    user, _ = user_create(
        username="t_hashed", organization=orgs["city_nj"], roles=[], password=PASSWORD
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    # Argon2id with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in user.password


def test_a_hash_with_other_argon2_parameters_is_upgraded_at_login(orgs, settings):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from zhicheng import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user, _ = user_create(
        username="t_rehash", organization=orgs["city_nj"], roles=[], password=PASSWORD
    )
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    assert user.check_password(PASSWORD)  # verifies, then re-hashes with the project's parameters
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


@pytest.mark.parametrize(
    "weak, expected",
    [
        ("Ab1#xyz", "密码太短，至少需要8个字符"),
        ("abcdefghjk", "密码须至少包含大写字母、小写字母、数字、符号中的三类"),
        ("zhichengxitong", "密码须至少包含大写字母、小写字母、数字、符号中的三类"),
        ("48151623429", "密码只包含数字"),
        ("Password1", "这个密码太常见了"),
    ],
)
def test_weak_passwords_are_refused_with_chinese_messages(weak, expected):
    with pytest.raises(ValidationError) as exc:
        validate_password(weak)
    messages = " ".join(exc.value.messages)
    assert expected in messages
    assert not any(c.isascii() and c.isalpha() for c in messages.replace("%", ""))


def test_a_password_like_the_username_is_refused(orgs):
    with pytest.raises(ApplicationError) as exc:
        user_create(
            username="liuyang2026",
            organization=orgs["unit_a"],
            roles=[Role.EMPLOYER_OFFICER],
            password="Liuyang2026",
        )
    assert "太相似" in exc.value.message


def test_a_strong_password_is_accepted():
    validate_password("Zc#2026-shenbao")


def test_password_change_page_shows_the_rules_in_chinese(client, hr_city):
    client.force_login(hr_city)
    response = client.post(
        CHANGE_URL,
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "密码须至少包含大写字母、小写字母、数字、符号中的三类" in response.content.decode()
    hr_city.refresh_from_db()
    assert hr_city.check_password(PASSWORD)


def test_password_rules_are_listed_as_escaped_text(client, hr_city, settings):
    """The rules come from the validators as plain texts; nothing is marked safe, so a rule
    text with markup is shown, not run."""
    settings.AUTH_PASSWORD_VALIDATORS = [
        *settings.AUTH_PASSWORD_VALIDATORS,
        {"NAME": "zhicheng.accounts.tests.test_security.MarkupHelpValidator"},
    ]
    client.force_login(hr_city)
    html = client.get(CHANGE_URL).content.decode()
    assert '<ul class="form-text mb-0" data-testid="password-rules">' in html
    assert "&lt;b&gt;不要&lt;/b&gt;使用生日" in html
    assert "<b>不要</b>" not in html


class MarkupHelpValidator:
    def validate(self, password, user=None):
        return None

    def get_help_text(self):
        return "<b>不要</b>使用生日"


# --- Lockout -----------------------------------------------------------------------------------


def test_five_failed_page_logins_lock_the_account_for_ten_minutes(client, hr_city):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    cooloff = django_settings.AXES_COOLOFF_TIME
    assert cooloff == dt.timedelta(minutes=10)
    for _ in range(4):
        response = page_login(client, "t_hr_city", "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    response = page_login(client, "t_hr_city", "wrong-password")
    assert response.status_code == 429
    assert "账号已锁定10分钟" in response.content.decode()

    # Locked: even the right password is refused, with the same Chinese page.
    response = page_login(client, "t_hr_city", PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定10分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_not_per_address(client, hr_city, make_user, orgs):
    other = make_user(orgs["city_nj"], Role.HR_OFFICER, username="t_colleague")
    for _ in range(5):
        page_login(client, "t_hr_city", "wrong-password")
    response = page_login(Client(), other.username, PASSWORD)
    assert response.status_code == 302
    # …and from another address the locked account is still locked.
    assert page_login(Client(), "t_hr_city", PASSWORD, ip="198.51.100.9").status_code == 429


def test_after_the_cool_off_the_user_can_log_in_again(client, hr_city):
    for _ in range(5):
        page_login(client, "t_hr_city", "wrong-password")
    with travel(dt.timedelta(minutes=9)):
        assert page_login(client, "t_hr_city", PASSWORD).status_code == 429
    with travel(dt.timedelta(minutes=20)):
        response = page_login(client, "t_hr_city", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not AccessAttempt.objects.filter(username="t_hr_city").exists()


def test_a_successful_login_resets_the_failure_count(client, hr_city):
    for _ in range(4):
        page_login(client, "t_hr_city", "wrong-password")
    assert page_login(client, "t_hr_city", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert page_login(client, "t_hr_city", "wrong-password").status_code == 200
    assert page_login(client, "t_hr_city", PASSWORD).status_code == 302


# --- Login log ---------------------------------------------------------------------------------


def test_login_log_records_success_with_ip_and_time(client, hr_city):
    response = page_login(client, "t_hr_city", PASSWORD, ip="203.0.113.21")
    assert response.status_code == 302
    entry = AccessLog.objects.get(username="t_hr_city")
    assert entry.ip_address == "203.0.113.21"
    assert entry.attempt_time is not None
    assert entry.path_info == LOGIN_URL


def test_login_log_records_failures_with_ip_and_time(client, hr_city):
    page_login(client, "t_hr_city", "wrong-password", ip="203.0.113.22")
    page_login(client, "nobody-like-this", "whatever", ip="203.0.113.23")
    failures = {f.username: f for f in AccessFailureLog.objects.all()}
    assert failures["t_hr_city"].ip_address == "203.0.113.22"
    assert failures["t_hr_city"].attempt_time is not None
    assert failures["nobody-like-this"].ip_address == "203.0.113.23"
    assert not AccessLog.objects.exists()


def test_a_forged_x_forwarded_for_does_not_change_the_logged_address(client, hr_city):
    client.post(
        LOGIN_URL,
        {"username": "t_hr_city", "password": "wrong-password"},
        REMOTE_ADDR="203.0.113.24",
        HTTP_X_FORWARDED_FOR="10.9.8.7",
    )
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.24"


# --- Session idle timeout -----------------------------------------------------------------------


# (The once-a-minute activity stamp behind it: test_session_activity.py.)


def test_an_idle_session_expires_and_activity_extends_it(client, hr_city):
    idle = dt.timedelta(seconds=django_settings.ZHICHENG_SESSION_IDLE_SECONDS)
    granularity = dt.timedelta(seconds=django_settings.ZHICHENG_SESSION_ACTIVITY_SECONDS)
    almost = idle - dt.timedelta(seconds=1)
    assert page_login(client, "t_hr_city", PASSWORD).status_code == 302
    assert client.get(HOME_URL).status_code == 200

    # Active just before the limit, twice: the session lives on past the first deadline.
    with travel(almost):
        assert client.get(HOME_URL).status_code == 200
    with travel(almost * 2):
        assert client.get(HOME_URL).status_code == 200
    # Then idle for longer than the limit (and its one-minute granularity): back to login.
    with travel(almost * 2 + idle + granularity + dt.timedelta(seconds=1)):
        response = client.get(HOME_URL)
    assert is_login_redirect(response)


def test_an_idle_session_cannot_use_the_api_either(client, hr_city):
    page_login(client, "t_hr_city", PASSWORD)
    idle = dt.timedelta(
        seconds=django_settings.ZHICHENG_SESSION_IDLE_SECONDS
        + django_settings.ZHICHENG_SESSION_ACTIVITY_SECONDS
        + 1
    )
    with travel(idle):
        response = client.get("/api/v1/organizations/")
    assert response.status_code in (401, 403)


# --- Forced password change --------------------------------------------------------------------


@pytest.fixture
def new_officer(orgs):
    """An account created by an administrator with a generated default password."""
    user, default_password = user_create(
        username="t_new_officer", organization=orgs["city_nj"], roles=[Role.HR_OFFICER]
    )
    assert user.must_change_password
    return user, default_password


def test_accounts_created_with_a_default_password_must_change_it(new_officer):
    user, default_password = new_officer
    assert user.must_change_password
    assert user.check_password(default_password)
    validate_password(default_password)  # the generated default meets the rules


def test_first_login_with_a_default_password_redirects_every_page_to_the_change_page(
    client, new_officer
):
    user, default_password = new_officer
    response = page_login(client, user.username, default_password)
    assert response.status_code == 302
    for url in (HOME_URL, reverse("orgs:organization-list"), "/functions/1.1/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == CHANGE_URL, url
    assert client.get(CHANGE_URL).status_code == 200


def test_htmx_requests_of_such_a_user_are_sent_to_the_change_page_as_a_whole(client, new_officer):
    user, _ = new_officer
    client.force_login(user)
    response = client.get(reverse("orgs:organization-list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == CHANGE_URL


def test_api_requests_of_such_a_user_get_403_with_a_chinese_message(client, new_officer):
    user, default_password = new_officer
    client.force_login(user)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert "请先" in response.json()["detail"]
    assert "修改密码" in response.json()["detail"]


def test_the_token_endpoint_refuses_an_account_on_its_default_password(client, new_officer):
    user, default_password = new_officer
    response = client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": default_password},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "修改密码" in response.json()["detail"]


def test_changing_the_password_lifts_the_flag(client, new_officer):
    user, default_password = new_officer
    page_login(client, user.username, default_password)
    response = client.post(
        CHANGE_URL,
        {
            "old_password": default_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.password_changed_at is not None
    assert user.check_password(NEW_PASSWORD)
    assert client.get(HOME_URL).status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200


def test_demo_accounts_are_exempt_from_the_forced_change(orgs, client):
    load_demo_accounts(orgs)
    usernames = [row[0] for row in DEMO_ACCOUNTS]
    assert not User.objects.filter(username__in=usernames, must_change_password=True).exists()
    assert page_login(client, "hr_city", DEMO_PASSWORD).status_code == 302
    assert client.get(HOME_URL).status_code == 200


# --- Production settings ---------------------------------------------------------------------

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "zhicheng.example.gov.cn",
}
# Settings that decide the deploy checks; the database, queue and apps stay as in the tests.
DEPLOY_KEYS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "MIDDLEWARE",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_HTTPONLY",
    "SILENCED_SYSTEM_CHECKS",
}


def load_settings_module(env: dict[str, str], monkeypatch) -> dict:
    # Browser test modules set this for Playwright; a deployment never has it (async.E001).
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("zhicheng_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {k: getattr(module, k) for k in dir(module) if k.isupper()}


def test_manage_py_check_deploy_is_clean_with_production_settings(monkeypatch):
    production = load_settings_module(PRODUCTION_ENV, monkeypatch)
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    with override_settings(**{k: v for k, v in production.items() if k in DEPLOY_KEYS}):
        # Raises SystemCheckError on any warning.
        call_command("check", deploy=True, fail_level="WARNING")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings_module({"DJANGO_DEBUG": "0"}, monkeypatch)


def test_check_deploy_from_the_command_line_is_clean(tmp_path):
    root = SETTINGS_FILE.parents[1]
    env = {**os.environ, **PRODUCTION_ENV, "ZHICHENG_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by browser test modules, never deployed
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
