from django import forms

from zhicheng.web.forms import QueryForm


class _Filters(QueryForm):
    name = forms.CharField(label="名称")
    status = forms.ChoiceField(label="状态", choices=[("a", "正常"), ("b", "已注销")])


def test_query_form_fields_are_optional_even_when_bound():
    form = _Filters(data={"name": "", "status": ""})
    assert form.is_valid(), form.errors
    assert form.filters() == {}


def test_a_bad_choice_marks_the_field_invalid():
    form = _Filters(data={"status": "zzz"})
    assert not form.is_valid()
    assert "is-invalid" in form.fields["status"].widget.attrs["class"]
    assert "is-invalid" not in form.fields["name"].widget.attrs["class"]
