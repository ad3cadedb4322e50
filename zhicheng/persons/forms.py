from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from zhicheng.accounts.models import User
from zhicheng.common.validators import parse_id_number
from zhicheng.persons.models import validate_mobile


def _input(**attrs) -> dict:
    return {"class": "form-control", **attrs}


class RegisterForm(forms.Form):
    """申报人注册. The service checks everything again; the form only puts messages by field."""

    name = forms.CharField(
        label="真实姓名",
        max_length=50,
        widget=forms.TextInput(attrs=_input(autocomplete="name")),
    )
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        help_text="18位居民身份证号码，注册后作为登录用户名",
        widget=forms.TextInput(attrs=_input(autocomplete="username")),
    )
    mobile = forms.CharField(
        label="手机号",
        max_length=11,
        widget=forms.TextInput(attrs=_input(autocomplete="tel", inputmode="numeric")),
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        help_text="至少8位，须包含大写字母、小写字母、数字、符号中的三类",
        widget=forms.PasswordInput(attrs=_input(autocomplete="new-password")),
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        widget=forms.PasswordInput(attrs=_input(autocomplete="new-password")),
    )

    def clean_id_number(self) -> str:
        return parse_id_number(self.cleaned_data["id_number"]).number

    def clean_mobile(self) -> str:
        return validate_mobile(self.cleaned_data["mobile"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        elif p1:
            probe = User(username=data.get("id_number", ""), real_name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
        return data


class PasswordResetForm(RegisterForm):
    """忘记密码 (申报人): 身份证号 and the mobile number given at registration, then a new
    password. The service decides; a mismatch says nothing about which of the two was wrong."""

    field_order = ["id_number", "mobile", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        self.fields["id_number"].help_text = "注册时的18位居民身份证号码（即登录用户名）"
        self.fields["mobile"].help_text = "注册时填写的手机号"
        self.fields["password1"].label = "新密码"
        self.fields["password2"].label = "确认新密码"
