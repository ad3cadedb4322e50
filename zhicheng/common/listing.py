"""One declaration per list: its filters and columns, from which the page, the export and the
API are derived.

A resource declares its list once, in ``<app>/listings.py`` next to its selectors::

    BLACKLIST = Listing(
        name="blacklist",                       # the export key (tabular:export, /export/)
        title="黑名单",                          # the export's file and sheet name
        permission="blacklist.view_blacklistentry",
        selector=selectors.blacklist_entry_list,  # selector(user=..., **filters) -> QuerySet
        filters=(
            Filter("name", "姓名", max_length=50),
            Filter("reason", "原因类别", "choice", choices=BlacklistReason.choices),
            Filter("start_from", "开始日期起", "date"),
        ),
        columns=(
            Col("姓名", "person.name", field="person__name", link=True, width=12),
            Col("证件类型", field="person__id_type", choices=IdType.choices, page=False),
        ),
    )

and then:

- the page: ``ListPageView.listing = BLACKLIST`` gives the selector, the query form
  (``web.forms.listing_form``: one optional form field a filter) and the table's columns
  (the ``Col`` s with ``page=True``);
- the export: ``register_export(tabular.engine.listing_export(BLACKLIST))`` gives the
  ``ExportSpec``: the ``Col`` s with ``export=True`` (header, ``values_list`` lookup, width,
  code → label), the filter labels for the audit log, and the filtered queryset;
- the API: a viewset with ``ListingViewSetMixin`` and ``listing = BLACKLIST`` gets its
  ``get_queryset`` (``listing.from_params(user, query_params, strict=True)``: a bad value is
  400), the list's query parameters in the schema (``listing_schema``, with their Chinese
  descriptions; a ``choice`` filter's ``enum`` is enforced by
  ``common.api.DocumentedChoicesFilter``) and its ``export_key``. A viewset whose list needs
  more (a parent in the path) keeps its own ``get_queryset`` and reads
  ``listing.filters_from(params, strict=True)``. An empty value is no filter.

A filter narrows the queryset by being passed to the selector as keyword ``arg`` (default: its
name), or, with ``narrow=``, by a function ``(queryset, value) -> queryset`` applied after the
selector. Pages ignore a bad value (as a Django form does); the API refuses it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import TEXT_MAX_LENGTH, clean_text, parse_int

KINDS = ("text", "int", "choice", "flag", "date")
FLAG_VALUES = ("true", "false", "1", "0")  # a flag filter's accepted values


@dataclass(frozen=True)
class Filter:
    """One query condition of a list. ``kind``: text, int, choice, flag, date."""

    name: str  # the GET / query parameter
    label: str  # Chinese: the form label, the export's filter description, the API doc
    kind: str = "text"
    choices: Sequence[tuple[Any, str]] = ()  # choice: (code, 中文)
    arg: str = ""  # the selector's keyword (default: name)
    narrow: Callable[[QuerySet, Any], QuerySet] | None = None  # instead of a selector keyword
    page: bool = True  # on the page's query form (False: API and export only)
    max_length: int = TEXT_MAX_LENGTH  # the page form field's
    minimum: int | None = None
    maximum: int | None = None
    help_text: str = ""  # under the form field, and in the API description
    description: str = ""  # the API description (default: label and help_text)
    form_field: Callable[[Filter], Any] | None = None  # a custom page form field (typeahead…)
    invalid: str = ""  # the API's message for a bad value; may use {value} and {codes}
    default: Any = None  # the API's and the export's value when none (or a bad one) is given
    pattern: str = ""  # text: a regular expression the whole value must match

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"filter {self.name!r}: unknown kind {self.kind!r}")

    @property
    def keyword(self) -> str:
        return self.arg or self.name

    @property
    def codes(self) -> list[str]:
        return [str(code) for code, _label in self.choices]

    def api_description(self) -> str:
        if self.description:
            return self.description
        text = self.label + (f"（{self.help_text}）" if self.help_text else "")
        if self.kind == "choice":
            text += "：" + "，".join(f"{code} {label}" for code, label in self.choices)
        return text

    def parse(self, raw: Any, *, strict: bool) -> Any:
        """The value of ``raw`` (text from a query string), None when empty. A bad value is
        ``ApplicationError`` when ``strict`` (the API), else ignored (None), as on a page."""
        # Bounded as every query text is; max_length is the page form's (a longer value is
        # invalid there, and so ignored).
        text = clean_text(raw)
        if not text:
            return None
        try:
            return self._parse(text)
        except ApplicationError:
            if not strict:
                return None
            if self.invalid:
                codes = "、".join(self.codes)
                raise ApplicationError(self.invalid.format(value=text, codes=codes)) from None
            raise

    def _parse(self, text: str) -> Any:
        if self.kind == "int":
            kwargs = {}
            if self.minimum is not None:
                kwargs["minimum"] = self.minimum
            if self.maximum is not None:
                kwargs["maximum"] = self.maximum
            return parse_int(text, label=f"参数“{self.name}”", **kwargs)
        if self.kind == "choice":
            if text not in self.codes:
                raise ApplicationError(
                    f"参数“{self.name}”的值“{text[:20]}”无效，可选：" + "、".join(self.codes)
                )
            return text
        if self.kind == "flag":
            value = text.lower()
            if value not in FLAG_VALUES:
                raise ApplicationError(f"参数“{self.name}”应为 true 或 false")
            return True if value in ("1", "true") else None
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ApplicationError(f"参数“{self.name}”应为日期（YYYY-MM-DD）") from None
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise ApplicationError(f"参数“{self.name}”格式不正确")
        return text


@dataclass(frozen=True)
class Col:
    """One column of the list: on the page (``value`` accessor, or a cell ``template``) and/or
    in the export (``field``: a ``values_list`` lookup, with Excel ``width`` and code → label
    ``choices``). ``page=False`` / ``export=False`` keep it off one of them."""

    header: str
    value: str | Callable[[Any], Any] | None = None  # page: dotted path or obj -> value
    field: str = ""  # export: values_list lookup (default: the dotted value as a lookup)
    template: str | None = None  # page: renders the cell (context: obj, value, column)
    link: bool = False  # page: the row's 详情 link
    css_class: str = ""
    choices: Sequence[tuple[Any, str]] = ()  # export: stored code → label
    transform: Callable[[Any], Any] | None = None  # export: the value as written
    id_number: bool = False  # export: 身份证号, masked without accounts.view_full_id_number
    width: int = 20  # export: Excel column width
    page: bool = True
    export: bool = True

    @property
    def lookup(self) -> str:
        if self.field:
            return self.field
        if isinstance(self.value, str):
            return self.value.replace(".", "__")
        raise ValueError(f"column {self.header!r} needs field= for the export")


@dataclass(frozen=True)
class Listing:
    name: str  # the export key
    selector: Callable[..., QuerySet]
    filters: Sequence[Filter] = ()
    columns: Sequence[Col] = ()
    title: str = ""  # the export's file and sheet name (a list with an export)
    permission: str = ""  # the export's permission
    fixed: Mapping[str, Any] = field(default_factory=dict)  # selector keywords always passed

    @property
    def page_filters(self) -> list[Filter]:
        return [f for f in self.filters if f.page]

    @property
    def page_columns(self) -> list[Col]:
        return [c for c in self.columns if c.page]

    @property
    def export_columns(self) -> list[Col]:
        return [c for c in self.columns if c.export]

    @property
    def filter_labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.filters}

    def filters_from(self, params: Mapping[str, Any], *, strict: bool = False) -> dict[str, Any]:
        """The non-empty filter values in ``params`` (a query string), by filter name."""
        values = {}
        for flt in self.filters:
            value = flt.parse(params.get(flt.name), strict=strict)
            if value is None:
                value = flt.default
            if value is not None:
                values[flt.name] = value
        return values

    def queryset(self, user: Any, values: Mapping[str, Any]) -> QuerySet:
        """The selector's queryset narrowed by ``values`` (by filter name; empty ones skipped)."""
        by_name = {f.name: f for f in self.filters}
        kwargs = {}
        narrowers = []
        for name, value in values.items():
            flt = by_name.get(name)
            if flt is None or value in (None, "", [], ()):
                continue
            if flt.narrow is not None:
                narrowers.append((flt.narrow, value))
            else:
                kwargs[flt.keyword] = value
        kwargs.update(self.fixed)  # what the list is, whatever the query says
        qs = self.selector(user=user, **kwargs)
        for narrow, value in narrowers:
            qs = narrow(qs, value)
        return qs

    def from_params(self, user: Any, params: Mapping[str, Any], *, strict: bool = False):
        return self.queryset(user, self.filters_from(params, strict=strict))


# --- API ----------------------------------------------------------------------------------------


def api_parameters(listing: Listing) -> list:
    """The list's query parameters for drf-spectacular, described in Chinese."""
    from drf_spectacular.utils import OpenApiParameter

    # An empty value means "no filter" (a page's query form sends every field), so the
    # schema admits "" beside each typed value; anything else off the type answers 400.
    empty = {"type": "string", "enum": [""]}
    parameters = []
    for flt in listing.filters:
        kwargs: dict[str, Any] = {"description": flt.api_description()}
        kind: Any = str
        if flt.kind == "choice":
            kwargs["enum"] = ["", *flt.codes]
        elif flt.kind == "flag":
            kwargs["enum"] = ["", *FLAG_VALUES]
        elif flt.kind == "date":
            kind = {"oneOf": [{"type": "string", "format": "date"}, empty]}
        elif flt.kind == "int":
            number: dict[str, Any] = {"type": "integer"}
            if flt.maximum is not None and flt.maximum > 2**31 - 1:
                number["format"] = "int64"
            if flt.minimum is not None:
                number["minimum"] = flt.minimum
            if flt.maximum is not None:
                number["maximum"] = flt.maximum
            kind = {"oneOf": [number, empty]}
        parameters.append(OpenApiParameter(flt.name, kind, **kwargs))
    return parameters


def listing_schema(listing: Listing):
    """``@listing_schema(LISTING)`` on a viewset: its ``list`` documents the filters."""
    from drf_spectacular.utils import extend_schema, extend_schema_view

    return extend_schema_view(list=extend_schema(parameters=api_parameters(listing)))


class ListingViewSetMixin:
    # A DRF viewset whose list is ``listing = LISTING``, declared once: it gives ``list`` its
    # queryset (the listing's selector with the query parameters; a bad filter value is 400) and
    # the OpenAPI description of those parameters (``listing_schema``) and, with
    # ``tabular.api.TabularActionsMixin``, the export (``export_key`` = the listing's name, its
    # filters checked before exporting). Put it first among the bases: its ``get_queryset``
    # replaces ``GenericAPIView``'s. No docstring on purpose: drf-spectacular describes a
    # viewset without one by the first docstring of its bases.

    listing: Listing

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        listing = cls.__dict__.get("listing")
        if listing is None:
            return
        if "export_key" not in cls.__dict__:
            cls.export_key = listing.name
        listing_schema(listing)(cls)

    def get_queryset(self):
        return self.listing.from_params(self.request.user, self.request.query_params, strict=True)
