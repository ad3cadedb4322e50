from django import forms

from zhicheng.catalog.models import TitleLevel
from zhicheng.web.forms import BaseForm


class SpecialtyForm(BaseForm):
    """新增 (under the selected node) and 修改 of a specialty; the service checks uniqueness."""

    code = forms.CharField(
        label="专业代码",
        max_length=20,
        help_text="唯一；字母、数字、点或短横线，建议沿用学科专业目录代码，如 080205",
    )
    name = forms.CharField(label="专业学科名称", max_length=100)


class TitleForm(BaseForm):
    """新增 (under the selected series) and 修改 of a title."""

    level = forms.ChoiceField(label="职称级别", choices=[("", "请选择"), *TitleLevel.choices])
    name = forms.CharField(label="职称名称", max_length=50, help_text="同一职称系列下不能重复")
