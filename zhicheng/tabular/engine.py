"""Declarations of the engine: what a module registers to get 导入 and 导出.

An ``ImportSpec`` names its columns (Chinese header, field key, required, coded choices, a parse
function), optional page-level ``params`` and two hooks: ``validate_row`` / ``validate_rows``
(checks against the database, run at preview and again at commit) and ``commit`` (writes the
valid rows through the module's services); ``check_drafts`` is the glue of a ``validate_rows``
whose module checks drafts in bulk, and ``DraftImport`` the two hooks of the simplest such
import. An ``ExportSpec`` names its columns (header + a ``values_list`` lookup, optional code →
label choices, 身份证号 masking) and the function returning the scoped queryset for the list
filters. Both are registered by key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import QuerySet

from zhicheng.common.errors import ApplicationError
from zhicheng.common.listing import Listing

if TYPE_CHECKING:
    from zhicheng.accounts.models import User

# Columns the reader accepts and ignores, so a corrected error file can be imported again.
IGNORED_HEADERS = frozenset({"错误原因", "序号"})


def normalize_header(text: Any) -> str:
    """``" 机构名称 *"`` → ``"机构名称"``: the template marks required columns with ``*``."""
    return re.sub(r"\s+", "", cell_text(text)).rstrip("*＊")


def cell_text(value: Any) -> str:
    """A cell as the text the user typed: integers without ``.0``, dates as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def error_messages(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, ApplicationError):
        return exc.message
    return str(exc)


# --- Import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import file. ``parse`` turns the cell text into a JSON-serializable
    value (or raises ``ValidationError`` with a Chinese message)."""

    header: str
    key: str
    required: bool = False
    choices: Sequence[tuple[str, str]] = ()  # (stored value, label shown in the dropdown)
    parse: Callable[[str], Any] | None = None
    unique: bool = False  # duplicates within one file are refused
    max_length: int | None = None
    help: str = ""
    width: int = 24

    @cached_property
    def _choice_map(self) -> dict[str, str]:
        mapping = {value: value for value, _label in self.choices}
        mapping.update({label: value for value, label in self.choices})
        return mapping

    @property
    def choice_labels(self) -> list[str]:
        return [label for _value, label in self.choices]

    def clean(self, text: str) -> Any:
        if not text:
            if self.required:
                raise ValidationError(f"{self.header}不能为空")
            return ""
        if self.max_length and len(text) > self.max_length:
            raise ValidationError(f"{self.header}不能超过{self.max_length}个字符")
        if self.choices:
            if text not in self._choice_map:
                raise ValidationError(
                    f"{self.header}“{text}”不是可选值（可选：{'、'.join(self.choice_labels)}）"
                )
            text = self._choice_map[text]
        if self.parse is not None:
            try:
                return self.parse(text)
            except (ValidationError, ApplicationError):
                raise
            except (ValueError, TypeError):
                raise ValidationError(f"{self.header}“{text}”格式不正确") from None
        return text


@dataclass(frozen=True)
class ParamField:
    """A page-level parameter chosen in the import dialog (e.g. 职称等级), passed to commit."""

    key: str
    label: str
    choices: Sequence[tuple[str, str]] = ()
    required: bool = True

    def clean(self, raw: Any) -> str:
        text = cell_text(raw)
        if not text:
            if self.required:
                raise ApplicationError(f"请选择{self.label}")
            return ""
        if self.choices and text not in {value for value, _ in self.choices}:
            raise ApplicationError(f"{self.label}的取值无效")
        return text


@dataclass
class ImportRow:
    number: int  # the Excel row number (the header is row 1)
    values: list[str]  # the cells as typed, in column order — for the error file
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    @property
    def message(self) -> str:
        return "；".join(self.errors)

    @property
    def label(self) -> str:
        """How messages about other rows name this one."""
        return f"第{self.number}行"


RowHook = Callable[[ImportRow, "User", dict[str, str]], None]
RowsHook = Callable[[list[ImportRow], "User", dict[str, str]], None]
CommitHook = Callable[[list[dict[str, Any]], "User", dict[str, str]], int]


@dataclass(frozen=True)
class ImportSpec:
    key: str
    title: str  # e.g. "机构": data sheet name, file names, dialog title
    permission: str  # e.g. "orgs.add_organization"
    columns: Sequence[Column]
    commit: CommitHook  # (valid rows' data, actor, params) -> number of records written
    validate_row: RowHook | None = None  # per row; raise ValidationError/ApplicationError
    validate_rows: RowsHook | None = None  # all rows in file order, for bulk DB checks
    params: Sequence[ParamField] = ()
    instructions: Sequence[str] = ()

    @cached_property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def clean_params(self, raw: Mapping[str, Any]) -> dict[str, str]:
        return {p.key: p.clean(raw.get(p.key)) for p in self.params}

    def parse_row(self, number: int, cells: Sequence[Any]) -> ImportRow:
        values = [cell_text(v) for v in cells]
        row = ImportRow(number=number, values=values)
        for column, text in zip(self.columns, values, strict=True):
            try:
                row.data[column.key] = column.clean(text)
            except (ValidationError, ApplicationError) as exc:
                row.add_error(error_messages(exc))
        return row

    def validate(self, rows: list[ImportRow], *, actor: User, params: dict[str, str]) -> None:
        """Duplicates within the file, then the module's hooks. Marks errors on the rows."""
        for column in self.columns:
            if not column.unique:
                continue
            first_seen: dict[Any, int] = {}
            for row in rows:
                value = row.data.get(column.key)
                if value in (None, ""):
                    continue
                if value in first_seen:
                    row.add_error(f"{column.header}与第{first_seen[value]}行重复")
                else:
                    first_seen[value] = row.number
        if self.validate_row is not None:
            for row in rows:
                if row.ok:
                    try:
                        self.validate_row(row, actor, params)
                    except (ValidationError, ApplicationError) as exc:
                        row.add_error(error_messages(exc))
        if self.validate_rows is not None:
            self.validate_rows(rows, actor, params)


# --- The glue between an import file and a module's bulk services ----------------------------

Draft = TypeVar("Draft")


def check_drafts(
    rows: Sequence[ImportRow],
    draft: Callable[[ImportRow], Draft],
    check: Callable[[list[Draft]], Mapping[int, str | Sequence[str]]],
) -> list[Draft]:
    """Draft → check → row errors, for a ``validate_rows`` hook.

    A module's bulk service checks a whole list of drafts at once (a few queries for any number
    of rows) and answers ``{draft index: message or messages}``. Here each valid row becomes a
    draft (``draft`` may refuse its row by raising ``ValidationError``/``ApplicationError``,
    e.g. an organization not found, and may note ids in ``row.data`` for the commit); ``check``
    runs once over the drafts, and its messages are marked on the rows they came from.
    Returns the drafts.
    """
    drafts: list[Draft] = []
    draft_rows: list[ImportRow] = []
    for row in rows:
        if not row.ok:
            continue
        try:
            drafts.append(draft(row))
        except (ValidationError, ApplicationError) as exc:
            row.add_error(error_messages(exc))
            continue
        draft_rows.append(row)
    for index, messages in check(drafts).items():
        for message in [messages] if isinstance(messages, str) else messages:
            draft_rows[index].add_error(message)
    return drafts


def refused_labels(rows: Sequence[ImportRow], key: str) -> dict[str, str]:
    """``row.data[key]`` → label of the first row refused before drafting that holds it, so a
    bulk check can say "上级…所在的第3行校验失败" rather than "不存在" for a later row."""
    refused: dict[str, str] = {}
    for row in rows:
        if not row.ok and row.data.get(key):
            refused.setdefault(row.data[key], row.label)
    return refused


@dataclass(frozen=True)
class DraftImport(Generic[Draft]):
    """The ``validate_rows`` and ``commit`` hooks of an import whose rows are the fields of a
    module's draft type, checked and written by its bulk services (职称专业, 机构)::

        draft(**row.data, label="第3行")
        check(actor=, drafts=, failed_codes={refused key value: "第2行"}) -> {index: message}
        create(actor=, drafts=) -> the records written (all or nothing)
    """

    draft: Callable[..., Draft]
    check: Callable[..., Mapping[int, str]]
    create: Callable[..., Sized]
    refused_key: str  # the column other rows refer to (a parent's code)

    def validate_rows(self, rows: list[ImportRow], actor: User, params: dict[str, str]) -> None:
        refused = refused_labels(rows, self.refused_key)
        check_drafts(
            rows,
            lambda row: self.draft(**row.data, label=row.label),
            lambda drafts: self.check(actor=actor, drafts=drafts, failed_codes=refused),
        )

    def commit(self, rows: list[dict[str, Any]], actor: User, params: dict[str, str]) -> int:
        return len(self.create(actor=actor, drafts=[self.draft(**data) for data in rows]))


# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    header: str
    field: str  # a values_list lookup on the queryset (annotations allowed)
    choices: Sequence[tuple[Any, str]] = ()  # stored code → label written to the file
    transform: Callable[[Any], Any] | None = None
    id_number: bool = False  # 身份证号: masked unless accounts.view_full_id_number
    width: int = 20

    @cached_property
    def choice_map(self) -> dict[Any, str]:
        return dict(self.choices)


@dataclass(frozen=True)
class ExportSpec:
    key: str
    title: str  # file name prefix and sheet name
    permission: str  # e.g. "orgs.view_organization"
    columns: Sequence[ExportColumn]
    # (user, list filters from request.GET) -> the scoped, filtered, ordered queryset
    queryset: Callable[[User, Mapping[str, str]], QuerySet]
    filter_labels: Mapping[str, str] = field(default_factory=dict)  # GET key → 中文 (audit)
    # GET key → {code → 中文} for filters that take codes (范围=全部, not scope=all).
    filter_values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def describe_filters(self, params: Mapping[str, str]) -> str:
        parts = [
            f"{self.filter_labels.get(k, k)}={self.filter_values.get(k, {}).get(v, v)}"
            for k, v in params.items()
            if v and k in self.filter_labels
        ]
        return "，".join(parts) or "无"


# --- Registry -------------------------------------------------------------------------------

_IMPORTS: dict[str, ImportSpec] = {}
_EXPORTS: dict[str, ExportSpec] = {}


def _same_declaration(a: ImportSpec, b: ImportSpec) -> bool:
    """A module imported again re-registers an equal declaration (not the same object, and its
    hooks may be closures or bound methods of a shared hook class): compare what it says."""
    return (a.title, a.permission, a.headers) == (b.title, b.permission, b.headers)


def register_import(spec: ImportSpec) -> ImportSpec:
    if spec.key in _IMPORTS and not _same_declaration(_IMPORTS[spec.key], spec):
        raise ImproperlyConfigured(f"import spec key {spec.key!r} registered twice")
    if len({c.key for c in spec.columns}) != len(spec.columns):
        raise ImproperlyConfigured(f"import spec {spec.key!r} has duplicate column keys")
    _IMPORTS[spec.key] = spec
    return spec


def register_export(spec: ExportSpec) -> ExportSpec:
    _EXPORTS[spec.key] = spec
    return spec


def get_import_spec(key: str) -> ImportSpec:
    """Raises ``LookupError`` for an unknown key (views answer 404)."""
    try:
        return _IMPORTS[key]
    except KeyError:
        raise LookupError(key) from None


def get_export_spec(key: str) -> ExportSpec:
    try:
        return _EXPORTS[key]
    except KeyError:
        raise LookupError(key) from None


def unregister(key: str) -> None:
    """For tests that register a throwaway spec."""
    _IMPORTS.pop(key, None)
    _EXPORTS.pop(key, None)


def listing_export(
    listing: Listing,
    *,
    prepare: Callable[[QuerySet], QuerySet] | None = None,
    filter_values: Mapping[str, Mapping[str, str]] | None = None,
) -> ExportSpec:
    """The ``ExportSpec`` of a ``common.listing.Listing``: its export columns, its filter
    labels, and its filtered queryset (a bad filter value is ignored, as on the page; the API
    refuses it before). ``prepare`` adds what only the file needs (an annotation)."""

    def queryset(user: User, params: Mapping[str, str]) -> QuerySet:
        qs = listing.from_params(user, params)
        return prepare(qs) if prepare is not None else qs

    return ExportSpec(
        key=listing.name,
        title=listing.title,
        permission=listing.permission,
        columns=tuple(
            ExportColumn(
                c.header,
                c.lookup,
                choices=c.choices,
                transform=c.transform,
                id_number=c.id_number,
                width=c.width,
            )
            for c in listing.export_columns
        ),
        queryset=queryset,
        filter_labels=listing.filter_labels,
        filter_values=filter_values or {},
    )
