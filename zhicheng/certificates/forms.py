from django import forms

from zhicheng.certificates.models import ISSUING_UNIT_CODE_HELP, IssuingUnitStatus
from zhicheng.web.forms import BaseForm, QueryForm
from zhicheng.web.widgets import OrganizationTypeaheadField

CODE_FIELD_KWARGS = {
    "label": "编码",
    "regex": r"^\d{8}$",
    "max_length": 8,
    "help_text": ISSUING_UNIT_CODE_HELP,
    "error_messages": {"invalid": "发证单位编码应为8位数字（6位行政区划代码 + 2位顺序号）"},
}


class IssuingUnitFilterForm(QueryForm):
    name = forms.CharField(label="单位名称", max_length=200)
    code = forms.CharField(label="编码", max_length=8, help_text="前缀匹配")
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *IssuingUnitStatus.choices])


class IssuingUnitCreateForm(BaseForm):
    organization = OrganizationTypeaheadField(label="单位名称")
    code = forms.RegexField(**CODE_FIELD_KWARGS)


class IssuingUnitUpdateForm(BaseForm):
    code = forms.RegexField(**CODE_FIELD_KWARGS)
