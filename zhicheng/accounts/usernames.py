"""Logins ignore the case of the user name (applicants' user names are 身份证号, stored with an
upper-case X that people type either way). One key decides both who logs in and whose failures
count towards the lockout, so no spelling of a name escapes the count of another."""

from __future__ import annotations

from django.db.models.functions import Lower


def username_key(name: object) -> str:
    """The case-free key of a typed user name (what the unique index on LOWER(username) holds)."""
    return "" if name is None else str(name).strip().lower()


def canonical_username(name: object) -> str:
    """The stored spelling of the account the typed name designates; for a name no account has,
    its key. django-axes counts failures under this name (AXES_USERNAME_CALLABLE)."""
    from zhicheng.accounts.models import User

    key = username_key(name)
    stored = (
        User.objects.alias(username_key=Lower("username"))
        .filter(username_key=key)
        .values_list("username", flat=True)
        .first()
    )
    return stored or key


def axes_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name of the login attempt (from the credentials, else the
    posted form or JSON body, as django-axes reads it), made canonical."""
    source = credentials or getattr(request, "data", request.POST)
    typed = source.get("username") if hasattr(source, "get") else None
    if typed is None:
        return None
    # axes asks several times per login (the lock check as typed, then the reset on success
    # with the stored spelling): one lookup per request.
    # Kept on Django's request: axes is handed DRF's request, or a wrapper, around it.
    holder = getattr(request, "_request", request)
    known = getattr(holder, "_zc_canonical_usernames", None)
    if known is None:
        known = holder._zc_canonical_usernames = {}
    key = username_key(typed)
    if key not in known:
        known[key] = canonical_username(typed)
    return known[key]
