from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator

from zhicheng.accounts.roles import Role
from zhicheng.orgs.widgets import OrganizationTypeaheadField
from zhicheng.web.forms import BaseForm

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入11位手机号码")


class UserForm(BaseForm):
    """编辑用户: 姓名, 手机号, 所属机构, 角色."""

    real_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="手机号", max_length=11, required=False, validators=[mobile_validator]
    )
    organization = OrganizationTypeaheadField(label="所属机构")
    roles = forms.MultipleChoiceField(
        label="角色",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个角色"},
    )


class UserCreateForm(UserForm):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录用的名称，150个字符以内，可用字母、数字和 @ . + - _",
    )
    field_order = ["username", "real_name", "phone", "organization", "roles"]
