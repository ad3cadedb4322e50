"""Form base classes every module's HTML forms use.

``BaseForm`` takes the requesting ``user`` (so typeahead fields clean to a row
inside the user's scope) and gives every widget its Bootstrap class, so templates
render any field with ``{% include "web/_form_field.html" %}``. ``QueryForm`` is the list page's
filter form: every field optional, rendered on top of the list by ``web/_query_form.html``.
"""

from __future__ import annotations

from django import forms

from zhicheng.web.widgets import DateInput, FastSelect, TypeaheadField

_CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def apply_bootstrap(form: forms.BaseForm) -> None:
    """Give each widget the Bootstrap class for its kind, plus ``is-invalid`` when in error.

    Reads ``_errors`` rather than ``errors``: the latter would validate the form right here, in
    ``__init__``, before a subclass has finished setting its fields up.
    """
    errors = form._errors or {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, _CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            classes.append(css)
        if name in errors and "is-invalid" not in classes:
            classes.append("is-invalid")
        widget.attrs["class"] = " ".join(classes)


class BaseForm(forms.Form):
    """A form that knows who is filling it in (``user=``) and renders with Bootstrap classes."""

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, TypeaheadField):
                field.set_user(user)
            if type(field.widget) is forms.Select:
                field.widget.__class__ = FastSelect  # same state, faster rendering
        apply_bootstrap(self)

    def full_clean(self) -> None:
        super().full_clean()
        apply_bootstrap(self)


class QueryForm(BaseForm):
    """Filter form of a list page: GET, every field optional (set ``required=False``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.widget.is_required = False

    def filters(self) -> dict:
        """The non-empty cleaned values, as keyword arguments for the selector."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "", [], ())}


_LISTING_FORMS: dict[tuple[int, type], type[QueryForm]] = {}


def _filter_field(flt) -> forms.Field:
    if flt.form_field is not None:
        return flt.form_field(flt)
    common = {"label": flt.label, "required": False, "help_text": flt.help_text}
    if flt.kind == "int":
        return forms.IntegerField(min_value=flt.minimum, max_value=flt.maximum, **common)
    if flt.kind == "choice":
        return forms.ChoiceField(choices=[("", "全部"), *flt.choices], **common)
    if flt.kind == "flag":
        return forms.BooleanField(**common)
    if flt.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    return forms.CharField(max_length=flt.max_length, **common)


def listing_form(listing, base: type[QueryForm] = QueryForm) -> type[QueryForm]:
    """The page's query form of a ``common.listing.Listing``: one optional field a page filter,
    in declaration order (built once per listing). ``base`` adds checks across fields."""
    key = (id(listing), base)
    form = _LISTING_FORMS.get(key)
    if form is None:
        fields = {flt.name: _filter_field(flt) for flt in listing.page_filters}
        fields["field_order"] = list(fields)
        name = "".join(part.capitalize() for part in listing.name.split("-")) + "QueryForm"
        form = type(name, (base,), fields)
        _LISTING_FORMS[key] = form
    return form
