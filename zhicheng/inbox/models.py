"""消息 (inbox): what the system tells one user — a return with its modules and deadline, an
approval, a deadline warning, a result. Written by the services of other apps through
``inbox.services.message_send`` in their own transaction; read by its recipient only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhicheng.common.scoping import scope_rule


class MessageKind(models.TextChoices):
    RETURN = "return", "退回补正"
    APPROVAL = "approval", "审核通过"
    DEADLINE = "deadline", "到期提醒"
    RESULT = "result", "结果"
    NOTICE = "notice", "通知"


@scope_rule(owner="recipient")
class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    kind = models.CharField("类别", max_length=16, choices=MessageKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, max_length=4000)
    # Where the message leads (a page of the recipient's, e.g. the application's detail).
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="inbox_recipient"),
            # The menu badge on every page: the unread rows of one user only.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="inbox_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
