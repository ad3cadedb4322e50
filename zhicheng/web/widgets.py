"""Widgets of the project's forms: a scoped typeahead, a date picker and a fast ``<select>``.

The typeahead (录入名称，回车查询，支持模糊查询) renders ``web/_org_typeahead.html``: a text box
that queries ``search_url`` (``?search=``, answering ``{"results": [...]}``) on Enter and after a
short pause, see ``web/static/web/typeahead.js``, and a hidden input holding the chosen id.
:class:`TypeaheadField` cleans that id to a row of its ``model`` inside the requesting user's
data scope; an id outside the scope is refused exactly like a missing one, so ids cannot be
probed. This module knows no domain model: each app passes its model and endpoint, e.g. the
organization typeahead every module uses (:mod:`zhicheng.orgs.widgets`)::

    class OrganizationTypeaheadField(TypeaheadField):
        model = Organization
        widget_class = OrganizationTypeaheadWidget   # search_url = the organization list

``zhicheng.web.forms.BaseForm`` hands the field its ``user``.

Outside a Django form, include the template directly::

    {% include "web/_org_typeahead.html" with name="unit" label="用人单位" required=True %}
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from zhicheng.common.scoping import scoped


def scoped_choice(model: type[models.Model] | None, user, value) -> models.Model | None:
    """The row of ``model`` that ``value`` (an instance or its id) names, if in ``user``'s scope."""
    if model is None:
        return None
    if isinstance(value, model):
        pk = value.pk
    else:
        try:
            pk = int(str(value).strip())
        except (TypeError, ValueError):
            return None
    return scoped(model._default_manager.all(), user).filter(pk=pk).first()


class TypeaheadWidget(forms.Widget):
    template_name = "web/_org_typeahead.html"

    # What the hidden id names, and the endpoint to search (?search= / {"results": [...]});
    # a subclass sets them, or pass model= / search_url=.
    model: type[models.Model] | None = None
    search_url: str = ""
    # Its placeholder and its "nothing found" text; empty = the partial's own texts.
    placeholder: str = ""
    empty_message: str = ""
    # The result fields that endpoint gives as a row's name and code.
    name_key: str = "name"
    code_key: str = "uscc"

    def __init__(
        self,
        attrs=None,
        *,
        model: type[models.Model] | None = None,
        search_url: str = "",
        org_type: str = "",
        include_deregistered: bool = False,
    ):
        super().__init__(attrs)
        if model is not None:
            self.model = model
        if search_url:
            self.search_url = search_url
        # Passed on to the endpoint as filters (data-org-type / data-include-deregistered).
        self.org_type = org_type
        self.include_deregistered = include_deregistered
        self.user = None

    def id_for_label(self, id_: str) -> str:
        # The label points at the visible text box, not at the hidden id.
        return f"{id_}_search" if id_ else id_

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if self.model is not None and isinstance(value, self.model):
            chosen = value
        elif value not in (None, ""):
            chosen = scoped_choice(self.model, self.user, value)
        final_attrs = context["widget"]["attrs"]
        context.update(
            name=name,
            input_id=final_attrs.get("id") or f"id_{name}",
            input_class=final_attrs.get("class", ""),
            required=self.is_required,
            org_type=self.org_type,
            include_deregistered=self.include_deregistered,
            search_url=str(self.search_url),
            placeholder=self.placeholder,
            empty_message=self.empty_message,
            name_key=self.name_key,
            code_key=self.code_key,
            initial_id=chosen.pk if chosen else "",
            initial_name=getattr(chosen, "name", "") if chosen else "",
            initial_uscc=getattr(chosen, self.code_key, "") if chosen else "",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered with the project's template engine (the form renderer does not see the
        # project template directory), so the same template works as a plain include.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class TypeaheadField(forms.Field):
    """Cleans the posted id to a ``model`` row within ``user``'s scope (set by BaseForm)."""

    model: type[models.Model] | None = None
    default_error_messages = {"invalid": "所选项不存在或不在管辖范围内"}

    def __init__(
        self, *, model: type[models.Model] | None = None, search_url: str = "", **kwargs
    ) -> None:
        if model is not None:
            self.model = model
        kwargs.setdefault("widget", TypeaheadWidget(model=self.model, search_url=search_url))
        super().__init__(**kwargs)
        self.user = None

    def set_user(self, user) -> None:
        self.user = user
        self.widget.user = user

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        chosen = scoped_choice(self.model, self.user, value)
        if chosen is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return chosen

    def has_changed(self, initial, data) -> bool:
        initial_pk = initial.pk if isinstance(initial, models.Model) else initial
        return str(initial_pk or "") != str(data or "")


class DateInput(forms.DateInput):
    """The browser's date picker; the value always ISO (``YYYY-MM-DD``), as it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """``forms.Select`` rendered in Python instead of one template per ``<option>``: a list
    page's filter form with a 128-title select spent more time rendering its options than
    running its queries. Same markup as Django's widget (attributes, ``<optgroup>``,
    ``selected``)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        option["value"],
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))
