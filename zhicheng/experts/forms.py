from django import forms

from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees.models import Committee
from zhicheng.common.scoping import scoped
from zhicheng.experts.models import ExpertLevel
from zhicheng.orgs.models import Organization
from zhicheng.persons.models import IdType
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput


def find_employer(text: str) -> Organization | None:
    """工作单位 by exact name or 统一社会信用代码 — experts work anywhere, so not scoped."""
    text = (text or "").strip()
    by_name = list(Organization.objects.filter(name=text)[:2])
    if len(by_name) == 1:
        return by_name[0]
    return Organization.objects.filter(uscc=text.upper()).first() if text else None


class ExpertForm(BaseForm):
    """The fields of 修改 (and of 新增, which adds the person and the committee)."""

    series = forms.ModelChoiceField(
        label="职称系列", queryset=TitleSeries.objects.order_by("code"), empty_label="请选择"
    )
    specialty = forms.ModelChoiceField(
        label="专业", queryset=Specialty.objects.order_by("path"), empty_label="请选择"
    )
    level = forms.ChoiceField(label="职称级别", choices=[("", "请选择"), *ExpertLevel.choices])
    employer = forms.CharField(
        label="工作单位", max_length=200, help_text="机构全称或统一社会信用代码"
    )
    term_start = forms.DateField(label="聘任期起", widget=DateInput())
    term_end = forms.DateField(label="聘任期止", widget=DateInput())

    def clean_employer(self) -> Organization:
        org = find_employer(self.cleaned_data.get("employer", ""))
        if org is None:
            raise forms.ValidationError("工作单位不存在，请填写机构全称或统一社会信用代码")
        return org

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", "聘任期止不能早于聘任期起")
        return data


class ExpertCreateForm(ExpertForm):
    committee = forms.ModelChoiceField(
        label="所属评委会", queryset=Committee.objects.none(), empty_label="请选择"
    )
    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(label="证件号码", max_length=32)
    name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号", max_length=11, required=False)
    username = forms.CharField(
        label="专家账号",
        max_length=150,
        required=False,
        help_text="登录用户名；不填则自动生成。已有专家账号的人员沿用原账号",
    )

    field_order = [
        "committee",
        "id_type",
        "id_number",
        "name",
        "mobile",
        "series",
        "specialty",
        "level",
        "employer",
        "term_start",
        "term_end",
        "username",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.user is not None and self.user.is_committee:
            del self.fields["committee"]  # a committee account adds to its own pool
        else:
            self.fields["committee"].queryset = scoped(
                Committee.objects.active(), self.user
            ).order_by("name")
