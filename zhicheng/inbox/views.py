"""消息 pages: the user's own messages (newest first, 20 a page), 标为已读, 全部标为已读."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhicheng.common.errors import ApplicationError
from zhicheng.common.redirects import safe_target

from . import selectors, services

PAGE_SIZE = 20


@login_required
def message_list(request):
    only_unread = request.GET.get("unread") == "1"
    rows = selectors.message_list(user=request.user, unread=True if only_unread else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/message_list.html",
        {"page_obj": page, "only_unread": only_unread, "title": "消息"},
    )


@require_POST
@login_required
def message_read(request, pk: int):
    """标为已读, then on to the message's page when it has one (``?open=1``), else back."""
    message = selectors.message_get(user=request.user, pk=pk)
    try:
        services.message_mark_read(actor=request.user, message=message)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    back = reverse("inbox:message-list")
    if request.POST.get("open") and message.link:
        return HttpResponseRedirect(safe_target(request, message.link, back))
    return HttpResponseRedirect(safe_target(request, request.POST.get("next"), back))


@require_POST
@login_required
def message_read_all(request):
    count = services.messages_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读" if count else "没有未读消息")
    return HttpResponseRedirect(reverse("inbox:message-list"))
