"""What the applications' pages share: the menu entries, the permissions and safe redirects."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

MENU_REVIEW = "1.12"
MENU_TRACE = "1.24"
VIEW = "applications.view_application"
APPLY = "applications.apply_application"


def can_open(user) -> bool:
    return user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(APPLY))


def next_or(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
