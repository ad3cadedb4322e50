"""Reads of the inbox: a user reads only their own messages (another's id is 404)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from zhicheng.accounts.models import User
from zhicheng.common.query import id_or_none

from .models import Message


def message_list(*, user: User, unread: bool | None = None) -> QuerySet[Message]:
    if user is None or not user.is_authenticated:
        return Message.objects.none()
    messages = Message.objects.filter(recipient_id=user.pk)
    if unread is not None:
        messages = messages.filter(read_at__isnull=unread)
    return messages.order_by("-created_at", "-pk")


def message_get(*, user: User, pk: int | str) -> Message:
    pk = id_or_none(pk)  # ``abc`` or ``2**70`` from a URL is no message (404), not a 500
    found = message_list(user=user).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise Http404("消息不存在")
    return found


def unread_count(*, user: User) -> int:
    """The menu badge."""
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
