"""How an operation-log entry reads to the audit admin: 操作, 对象类型, 变更内容."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhicheng.audit.selectors import ACTION_LABELS
from zhicheng.common.validators import mask_if_id_number

EMPTY = "（空）"
M2M_OPERATIONS = {"add": "添加", "delete": "移除", "clear": "清空"}


@dataclass(frozen=True)
class ChangeRow:
    field: str
    old: str
    new: str


def operation_code(entry: LogEntry) -> str:
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if entry.action == LogEntry.Action.ACCESS and data.get("operation"):
        return str(data["operation"])
    return {0: "create", 1: "update", 2: "delete"}.get(entry.action, "access")


def operation_label(entry: LogEntry) -> str:
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if entry.action == LogEntry.Action.ACCESS and data.get("label"):
        return str(data["label"])
    return ACTION_LABELS.get(entry.action, "访问")


def content_type_label(entry: LogEntry) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return entry.content_type.model if entry.content_type_id else ""
    return str(model._meta.verbose_name)


def _is_reverse_relation(model: type[models.Model] | None, name: str) -> bool:
    if model is None:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.auto_created and not field.concrete


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None  # not a reverse relation


def _display_value(
    field: models.Field | None, value, *, resolve_fk: bool, names: dict | None = None
) -> str:
    if value is None or value == "None" or value == "":
        return EMPTY
    text = str(value)
    if field is None:
        return text
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return {"True": "是", "False": "否"}.get(text, text)
    if isinstance(field, models.DateTimeField):
        return _local_time(text)
    if isinstance(field, models.ForeignKey):
        if names is not None:  # the list: the name only, each looked up once per page
            return _related_name(field, text, names)
        if resolve_fk:
            related = field.related_model._default_manager.filter(pk=text).first()
            return f"{related}（#{text}）" if related is not None else f"#{text}"
        return f"#{text}"
    return text


def _related_name(field: models.ForeignKey, pk: str, names: dict) -> str:
    key = (field.related_model, pk)
    if key not in names:
        related = field.related_model._default_manager.filter(pk=pk).first()
        names[key] = str(related) if related is not None else f"#{pk}"
    return names[key]


def _local_time(text: str) -> str:
    """A stored time (UTC, ISO) as the rows show theirs: Asia/Shanghai, to the second."""
    moment = parse_datetime(text)
    if moment is None:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def change_rows(
    entry: LogEntry, *, resolve_fk: bool = True, mask: bool = False, names: dict | None = None
) -> list[ChangeRow]:
    """The diff: one row per changed field, field names as the model's verbose names, related
    rows by their names, times in local time. ``mask``: every 身份证号 in the values masked
    (viewers without ``accounts.view_full_id_number``; entries written before the log masked
    them). ``names``: a cache shared by the rows of one page (related names looked up once)."""
    rows = _change_rows(entry, resolve_fk=resolve_fk, names=names)
    if not mask:
        return rows
    return [ChangeRow(r.field, mask_if_id_number(r.old), mask_if_id_number(r.new)) for r in rows]


def _change_rows(entry: LogEntry, *, resolve_fk: bool, names: dict | None) -> list[ChangeRow]:
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        if _is_reverse_relation(model, name):
            continue  # a related manager's repr ("certificates.CertificateNumber.None"), no data
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = M2M_OPERATIONS.get(values.get("operation"), values.get("operation", ""))
            objects = "、".join(str(o) for o in values.get("objects", [])) or EMPTY
            rows.append(ChangeRow(label, "", f"{verb}：{objects}"))
            continue
        if not isinstance(values, list | tuple) or len(values) != 2:
            rows.append(ChangeRow(label, "", str(values)))
            continue
        old, new = values
        rows.append(
            ChangeRow(
                label,
                _display_value(field, old, resolve_fk=resolve_fk, names=names),
                _display_value(field, new, resolve_fk=resolve_fk, names=names),
            )
        )
    return rows


def change_summary(
    entry: LogEntry, *, limit: int = 80, mask: bool = False, names: dict | None = None
) -> str:
    """One line for the list: the business summary, else "字段：旧 → 新；…". ``names``: the
    page's cache of related names (without it, related rows show as #id, with no query).
    ``mask`` as for ``change_rows`` — before shortening, so no number is cut in half unmasked."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    if data.get("summary"):
        text = str(data["summary"])
    else:
        parts = []
        for row in change_rows(entry, resolve_fk=False, names=names):
            if entry.action == LogEntry.Action.CREATE or not row.old:
                parts.append(f"{row.field}：{row.new}")
            elif entry.action == LogEntry.Action.DELETE:
                parts.append(f"{row.field}：{row.old}")
            else:
                parts.append(f"{row.field}：{row.old} → {row.new}")
        text = "；".join(parts)
    if mask:
        text = mask_if_id_number(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
