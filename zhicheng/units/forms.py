"""Forms of 用人单位: 单位注册 (public), 单位内部公示 (dates, then the result)."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from zhicheng.accounts.models import User
from zhicheng.common.errors import validation_message
from zhicheng.common.validators import validate_uscc
from zhicheng.orgs.widgets import OrganizationTypeaheadWidget
from zhicheng.units import selectors
from zhicheng.units.models import STANDARD_RECOMMENDATIONS
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput


class CompetentWidget(OrganizationTypeaheadWidget):
    """The organization typeahead over the public list of 主管单位 (no login yet)."""

    search_url = reverse_lazy("unit-competent-search")
    placeholder = "录入主管单位名称，回车查询，支持模糊查询"
    empty_message = "未找到匹配的主管单位，请换个关键字（名称、统一社会信用代码或拼音首字母）"

    def get_context(self, name, value, attrs):
        if value not in (None, "") and not hasattr(value, "pk"):
            value = selectors.competent_get(value) or ""
        return super().get_context(name, value, attrs)


class CompetentField(forms.Field):
    widget = CompetentWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = selectors.competent_get(value)
        if found is None:
            raise ValidationError("主管单位不存在，请重新查询选择")
        return found

    def prepare_value(self, value):
        return value


class UnitRegisterForm(BaseForm):
    """单位注册. The service checks everything again; the form puts messages by field."""

    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        help_text="18位，注册后作为登录用户名",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    name = forms.CharField(label="单位名称", max_length=200)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    competent = CompetentField(label="主管单位")
    password1 = forms.CharField(
        label="密码",
        strip=False,
        help_text="至少8位，须包含大写字母、小写字母、数字、符号中的三类",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_uscc(self) -> str:
        try:
            return validate_uscc(self.cleaned_data["uscc"])
        except ValidationError as exc:
            raise ValidationError(validation_message(exc)) from None

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(username=data.get("uscc", ""), real_name=data.get("contact_name", ""))
                )
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PublicityForm(BaseForm):
    applications = forms.TypedMultipleChoiceField(label="公示的申报", coerce=int)
    starts_on = forms.DateField(label="公示开始日期", widget=DateInput)
    ends_on = forms.DateField(label="公示结束日期", widget=DateInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(a.pk, str(a.pk)) for a in candidates]


class PublicityResultForm(BaseForm):
    file = forms.FileField(label="盖章的公示结果扫描件（PDF/JPG/PNG）")
    recommendation = forms.CharField(
        label="推荐意见",
        max_length=1000,
        initial=STANDARD_RECOMMENDATIONS[0],
        help_text="可从标准用语中选择，或自行填写",
        widget=forms.TextInput(attrs={"list": "standard-recommendations"}),
    )
