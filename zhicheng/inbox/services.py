"""Writes of the inbox: send (called by other apps' services inside their transaction), mark
read (the recipient)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError

from .models import Message, MessageKind


@dataclass(frozen=True)
class Outgoing:
    """One message to send (``messages_send`` writes many in one insert)."""

    recipient_id: int
    kind: str
    title: str
    body: str = ""
    link: str = ""


def _build(item: Outgoing) -> Message:
    if item.kind not in MessageKind.values:
        raise ValueError(f"unknown message kind {item.kind!r}")
    return Message(
        recipient_id=item.recipient_id,
        kind=item.kind,
        title=item.title[:200],
        body=item.body[:4000],
        link=item.link[:300],
    )


def message_send(
    *, recipient: User | int, kind: str, title: str, body: str = "", link: str = ""
) -> Message:
    """Send one message (in the caller's transaction: it exists only if the step does)."""
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    message = _build(Outgoing(recipient_id, kind, title, body, link))
    message.save()
    return message


def messages_send(items: Iterable[Outgoing]) -> list[Message]:
    """Send many messages at once (a batch approval)."""
    return Message.objects.bulk_create([_build(item) for item in items], batch_size=500)


def _own(actor: User, message: Message | int) -> Message:
    pk = message if isinstance(message, int) else message.pk
    found = Message.objects.select_for_update().filter(pk=pk, recipient_id=actor.pk).first()
    if found is None:
        raise ApplicationError("消息不存在")
    return found


@transaction.atomic
def message_mark_read(*, actor: User, message: Message | int) -> Message:
    """标为已读 (a second time changes nothing)."""
    found = _own(actor, message)
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return found


@transaction.atomic
def messages_mark_all_read(*, actor: User) -> int:
    """全部标为已读: how many were unread."""
    return Message.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
