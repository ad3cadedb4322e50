from django import forms

from zhicheng.common.validators import validate_uscc
from zhicheng.orgs.models import OrgType
from zhicheng.web.forms import BaseForm

from .widgets import OrganizationTypeaheadField


class OrganizationForm(BaseForm):
    """Fields shared by 新增 and 编辑 (the service validates the USCC and the region code)."""

    name = forms.CharField(label="机构名称", max_length=200)
    # No min/max_length: Django's generic length messages would come first; the one rule
    # (common.validators.validate_uscc) says what the API says ("应为18位，当前为5位").
    uscc = forms.CharField(
        label="统一社会信用代码",
        help_text="18位，含校验位",
        widget=forms.TextInput(attrs={"maxlength": 18}),
    )
    org_type = forms.ChoiceField(label="机构类型", choices=[("", "请选择"), *OrgType.choices])
    region_code = forms.RegexField(
        label="行政区划代码",
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": "行政区划代码应为6位数字"},
        help_text="6位数字，如 320115",
    )

    def clean_uscc(self) -> str:
        return validate_uscc(self.cleaned_data["uscc"])


class OrganizationCreateForm(OrganizationForm):
    parent = OrganizationTypeaheadField(label="上级机构")
    field_order = ["parent", "name", "uscc", "org_type", "region_code"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only a superuser may create a top-level organization; everyone else needs a parent.
        superuser = bool(self.user and self.user.is_superuser)
        self.fields["parent"].required = not superuser
        self.fields["parent"].widget.is_required = not superuser
