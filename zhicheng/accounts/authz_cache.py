"""A user's roles and permissions, cached between requests.

Every request of an officer asked the database for their groups (roles) and their permissions
— three queries before any work, on every typeahead keystroke and every 审核通过. Both change
only when someone assigns roles, so they are kept in the cache (Redis in production, shared by
every process) under a key per user and a global generation:

- assigning or removing a user's roles or own permissions (``User.groups``,
  ``User.user_permissions``; any code path, admin included) deletes that user's entry;
- changing what a role may do (``Group.permissions``: ``sync_roles`` after every migrate)
  moves the generation on, which orphans every entry.

Entries also expire after ``TTL_SECONDS``. Without Redis each process has its own cache: a
change made in one process reaches the others within the TTL (the README says to configure
Redis in production).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache

TTL_SECONDS = 300
GENERATION_KEY = "authz:generation"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, None)
    return generation


def _key(user_id: int) -> str:
    return f"authz:{_generation()}:{user_id}"


def cached_authz(user) -> dict:
    """``{"groups": [...names], "perms": [...app_label.codename]}`` of an active user, kept on
    the user object too: a request asks for both its permissions and its roles, and each cache
    read is two round trips to Redis (the generation, then the entry)."""
    memo = user.__dict__.get("_authz_entry")
    if memo is not None:
        return memo
    key = _key(user.pk)
    entry = cache.get(key)
    if entry is None:
        backend = ModelBackend()
        # The backend caches on the instance; a fresh read for the cache entry.
        for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            user.__dict__.pop(attr, None)
        entry = {
            "groups": list(user.groups.values_list("name", flat=True)),
            "perms": sorted(backend.get_all_permissions(user)),
        }
        cache.set(key, entry, TTL_SECONDS)
    user.__dict__["_authz_entry"] = entry
    return entry


def forget_user(user_id: int) -> None:
    cache.delete(_key(user_id))


def forget_everyone() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value orphans old entries
        cache.set(GENERATION_KEY, _generation() + 1, None)


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with a user's permissions read from the cache."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(cached_authz(user_obj)["perms"])
        return user_obj._perm_cache


def user_roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # group.user_set / permission.user_set changed: the users named, or all
        if pk_set:
            for user_id in pk_set:
                forget_user(user_id)
        else:
            forget_everyone()
    else:
        forget_user(instance.pk)
        for attr in ("_authz_entry", "role_codes", "_perm_cache"):
            instance.__dict__.pop(attr, None)  # this object asks again too


def role_permissions_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        forget_everyone()


def connect_signals() -> None:
    """Called from ``AccountsConfig.ready``."""
    from django.db.models.signals import m2m_changed

    from zhicheng.accounts.models import User

    m2m_changed.connect(user_roles_changed, sender=User.groups.through, weak=False)
    m2m_changed.connect(user_roles_changed, sender=User.user_permissions.through, weak=False)
    m2m_changed.connect(role_permissions_changed, sender=Group.permissions.through, weak=False)
