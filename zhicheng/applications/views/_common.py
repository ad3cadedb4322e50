"""What the applications' pages share: the menu entries, the permissions and safe redirects."""

from __future__ import annotations

from zhicheng.common.redirects import safe_target

MENU_REVIEW = "1.12"
MENU_TRACE = "1.24"
VIEW = "applications.view_application"
APPLY = "applications.apply_application"


def can_open(user) -> bool:
    return user.is_authenticated and (user.has_perm(VIEW) or user.has_perm(APPLY))


def next_or(request, default: str) -> str:
    return safe_target(request, request.POST.get("next") or request.GET.get("next"), default)
