"""What the applicant is told (消息, the ``inbox`` app) at each step of his application: every
return, approval, deadline warning and result. Built here, sent in the step's transaction."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhicheng.inbox.models import MessageKind
from zhicheng.inbox.services import Outgoing

from ..models import Application, ApplicationStatus, ReturnModule, ReturnReason


def _subject(app: Application) -> str:
    return f"{app.year}年“{app.title.name}”申报"


def _link(app: Application) -> str:
    return reverse("applications:application-detail", args=[app.pk])


def module_labels(codes) -> str:
    labels = dict(ReturnModule.choices)
    return "、".join(labels.get(code, code) for code in codes) if codes else "全部内容"


def approval_notice(app: Application, *, organization_name: str, message: str) -> Outgoing:
    """An approval by one level (审核通过), or the top's (a result)."""
    done = app.status == ApplicationStatus.APPROVED
    lines = [message]
    if app.acceptance_number:
        lines.append(f"受理号：{app.acceptance_number}")
    return Outgoing(
        recipient_id=app.applicant_id,
        kind=MessageKind.RESULT if done else MessageKind.APPROVAL,
        title=f"{_subject(app)}：{organization_name}审核通过",
        body="\n".join(lines),
        link=_link(app),
    )


def return_notice(
    app: Application, *, organization_name: str, opinion: str, reasons, modules, deadline
) -> Outgoing:
    """A return that reached the applicant: what to correct and by when (一次性告知)."""
    labels = dict(ReturnReason.choices)
    lines = [f"补正模块：{module_labels(modules)}（其他内容不能修改）"]
    if deadline:
        lines.append(f"补正期限：{deadline:%Y-%m-%d}（逾期未重新提交的，申报视为放弃）")
    if reasons:
        lines.append("退回原因：" + "；".join(labels.get(code, code) for code in reasons))
    if opinion:
        lines.append(f"审核意见：{opinion}")
    return Outgoing(
        recipient_id=app.applicant_id,
        kind=MessageKind.RETURN,
        title=f"{_subject(app)}被{organization_name}退回补正",
        body="\n".join(lines),
        link=_link(app),
    )


def deadline_notice(app: Application, *, deadline: dt.date) -> Outgoing:
    return Outgoing(
        recipient_id=app.applicant_id,
        kind=MessageKind.DEADLINE,
        title=f"{_subject(app)}补正期限将于{deadline:%Y-%m-%d}届满",
        body=(
            f"请在{deadline:%Y-%m-%d}前补正{module_labels(app.return_modules)}并重新提交，"
            "逾期未重新提交的，申报视为放弃。"
        ),
        link=_link(app),
    )


def abandoned_notice(app: Application, *, deadline: dt.date) -> Outgoing:
    return Outgoing(
        recipient_id=app.applicant_id,
        kind=MessageKind.RESULT,
        title=f"{_subject(app)}已视为放弃",
        body=f"补正期限{deadline:%Y-%m-%d}已过，申报未重新提交，按规定视为放弃。",
        link=_link(app),
    )
