"""Widgets of the project's forms: the organization typeahead, and a fast ``<select>``.

The organization typeahead: 录入机构名称，回车查询，支持模糊查询.

``OrganizationTypeaheadField`` is the form field every module uses for "choose an organization":
it renders ``web/_org_typeahead.html`` (a text box that queries
``GET /api/v1/organizations/?search=`` on Enter and after a short pause, see
``web/static/web/typeahead.js``, and a hidden input holding the chosen id) and cleans to an
``Organization`` inside the requesting user's data scope. An id outside the scope is refused
exactly like a missing one ("机构不存在或不在管辖范围内"), so ids cannot be probed.

    class CommitteeForm(BaseForm):           # zhicheng.web.forms.BaseForm passes user= on
        organizer = OrganizationTypeaheadField(label="组建单位", org_type="committee_organizer")

    form = CommitteeForm(request.POST or None, user=request.user)

Outside a Django form, include the template directly::

    {% include "web/_org_typeahead.html" with name="unit" label="用人单位" required=True %}
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization, OrgType

OUT_OF_SCOPE = "机构不存在或不在管辖范围内"


def _scoped_organization(user, value) -> Organization | None:
    if isinstance(value, Organization):
        pk = value.pk
    else:
        try:
            pk = int(str(value).strip())
        except (TypeError, ValueError):
            return None
    return scoped(Organization.objects.all(), user).filter(pk=pk).first()


class OrganizationTypeaheadWidget(forms.Widget):
    template_name = "web/_org_typeahead.html"

    # Another endpoint to search (same ?search= / {"results": [...]} contract), its placeholder and
    # its "nothing found" text; empty = the organization list and the partial's own texts.
    search_url: str = ""
    placeholder: str = ""
    empty_message: str = ""
    # The result fields that endpoint gives as a row's name and code.
    name_key: str = "name"
    code_key: str = "uscc"

    def __init__(self, attrs=None, *, org_type: str = "", include_deregistered: bool = False):
        super().__init__(attrs)
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
        org = None
        if isinstance(value, Organization):
            org = value
        elif value not in (None, ""):
            org = _scoped_organization(self.user, value)
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
            initial_id=org.pk if org else "",
            initial_name=org.name if org else "",
            initial_uscc=org.uscc if org else "",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered with the project's template engine (the form renderer does not see the
        # project template directory), so the same template works as a plain include.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class OrganizationTypeaheadField(forms.Field):
    """Cleans the posted id to an ``Organization`` within ``user``'s scope (set by BaseForm)."""

    default_error_messages = {
        "invalid": OUT_OF_SCOPE,
        "deregistered": "所选机构已注销",
        "org_type": "请选择机构类型为“%(org_type)s”的机构",
    }

    def __init__(self, *, org_type: str = "", active_only: bool = True, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            OrganizationTypeaheadWidget(org_type=org_type, include_deregistered=not active_only),
        )
        super().__init__(**kwargs)
        self.org_type = org_type
        self.active_only = active_only
        self.user = None

    def set_user(self, user) -> None:
        self.user = user
        self.widget.user = user

    def prepare_value(self, value):
        return value

    def to_python(self, value) -> Organization | None:
        if value in self.empty_values:
            return None
        org = _scoped_organization(self.user, value)
        if org is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.active_only and not org.is_active:
            raise ValidationError(self.error_messages["deregistered"], code="deregistered")
        if self.org_type and org.org_type != self.org_type:
            raise ValidationError(
                self.error_messages["org_type"],
                code="org_type",
                params={"org_type": OrgType(self.org_type).label},
            )
        return org

    def has_changed(self, initial, data) -> bool:
        initial_pk = initial.pk if isinstance(initial, Organization) else initial
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
