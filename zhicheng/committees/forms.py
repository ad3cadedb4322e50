"""Forms of 评委会管理 / 评委会查询. They only parse input; the services hold every rule."""

from django import forms

from zhicheng.catalog.models import TitleSeries
from zhicheng.committees.models import CommitteeLevel, FeeItem
from zhicheng.orgs.models import OrgType
from zhicheng.orgs.widgets import OrganizationTypeaheadField
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput


def series_choices() -> list[tuple[str, str]]:
    return [
        (str(s.pk), str(s))
        for s in TitleSeries.objects.select_related("parent").order_by(
            "parent__sort_order", "sort_order", "pk"
        )
    ]


class CommitteeForm(BaseForm):
    """Fields of 新增 and 编辑."""

    name = forms.CharField(label="评委会名称", max_length=200)
    level = forms.ChoiceField(label="评委会级别", choices=[("", "请选择"), *CommitteeLevel.choices])
    series = forms.ModelChoiceField(
        label="职称系列",
        queryset=TitleSeries.objects.select_related("parent").order_by(
            "parent__sort_order", "sort_order", "pk"
        ),
        empty_label="请选择",
    )
    approval_number = forms.CharField(label="核准备案文号", max_length=100)
    valid_from = forms.DateField(label="有效期起", widget=DateInput())
    valid_until = forms.DateField(
        label="有效期止",
        widget=DateInput(),
        help_text="有效期最长3年，过期的评委会不能受理新的评审",
    )


def _fraction_part(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=100, required=False)


class CommitteeUpdateForm(CommitteeForm):
    """编辑 adds the meeting's fractions (默认 2/3): quorum = 到会专家 ≥ 到会比例 × 评审专家;
    a participant passes with 同意 ≥ 通过比例 × 到会专家."""

    quorum_numerator = _fraction_part("到会比例（分子）")
    quorum_denominator = _fraction_part("到会比例（分母）")
    pass_numerator = _fraction_part("通过比例（分子）")
    pass_denominator = _fraction_part("通过比例（分母）")


class CommitteeCreateForm(CommitteeForm):
    account = forms.CharField(
        label="评委会账号",
        max_length=150,
        help_text="评委会登录系统的用户名，不能与任何已有用户名重复；保存后页面显示一次初始密码",
    )
    organization = OrganizationTypeaheadField(
        label="管理机构",
        org_type=OrgType.HR_BUREAU,
        required=False,
        help_text="管理该评委会的人社部门，不填则为本机构",
    )
    field_order = [
        "name",
        "level",
        "series",
        "account",
        "approval_number",
        "valid_from",
        "valid_until",
        "organization",
    ]


class SpecialtyAddForm(forms.Form):
    specialty = forms.IntegerField(error_messages={"required": "请先查询并选择一个专业"})


class OrganizerAddForm(BaseForm):
    organization = OrganizationTypeaheadField(
        label="组建单位", error_messages={"required": "请先查询并选择组建单位"}
    )


class FeeForm(BaseForm):
    item = forms.ChoiceField(label="缴费项目", choices=[("", "请选择"), *FeeItem.choices])
    # Text, so the service gives the one clear message for every bad amount.
    amount = forms.CharField(
        label="金额（元）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "如 300.00"}),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, form_id: str = "", **kwargs) -> None:
        """``form_id``: the inputs belong to ``<form id=form_id>`` (a fee row's 保存)."""
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
            if form_id:
                field.widget.attrs["form"] = form_id
