from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from zhicheng.certificates import selectors
from zhicheng.certificates.models import (
    CERTIFICATE_NUMBER_HELP,
    ISSUING_UNIT_CODE_HELP,
    NUMBERS_PER_GENERATION_MAX,
    SEQUENCE_MAX,
    IssuingUnit,
)
from zhicheng.certificates.services.seals import SEAL_RULES
from zhicheng.orgs.widgets import OrganizationTypeaheadField, OrganizationTypeaheadWidget
from zhicheng.web.forms import BaseForm

CODE_FIELD_KWARGS = {
    "label": "编码",
    "regex": r"^\d{8}$",
    "max_length": 8,
    "help_text": ISSUING_UNIT_CODE_HELP,
    "error_messages": {"invalid": "发证单位编码应为8位数字（6位行政区划代码 + 2位顺序号）"},
}


class IssuingUnitCreateForm(BaseForm):
    organization = OrganizationTypeaheadField(label="单位名称")
    code = forms.RegexField(**CODE_FIELD_KWARGS)


class IssuingUnitUpdateForm(BaseForm):
    code = forms.RegexField(**CODE_FIELD_KWARGS)


class IssuingUnitSealForm(BaseForm):
    seal = forms.FileField(
        label="印章图片",
        help_text=f"要求：{SEAL_RULES}。证书上印章处显示此图片；未上传时按单位名称绘制红色圆形印章。",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png"}),
        error_messages={"required": "请选择印章图片"},
    )


# --- 1.16 证书编号生成 -------------------------------------------------------------------------


class IssuingUnitWidget(OrganizationTypeaheadWidget):
    """录入发证单位名称，回车查看发证单位列表，选择发证单位，支持模糊查询: the typeahead over the
    active issuing units of the officer's scope (``/api/v1/issuing-units/?search=``)."""

    search_url = reverse_lazy("issuing-unit-list")
    placeholder = "录入发证单位名称或编码，回车查询，支持模糊查询"
    empty_message = "未找到匹配的发证单位（正常状态），请换个关键字（单位名称或编码）"
    name_key = "organization_name"
    code_key = "code"

    def get_context(self, name, value, attrs):
        unit = value
        if not isinstance(value, IssuingUnit):
            unit = selectors.issuing_unit_choice(user=self.user, pk=value)
        context = super().get_context(name, None, attrs)
        if unit is not None:
            context.update(
                initial_id=unit.pk, initial_name=unit.organization.name, initial_uscc=unit.code
            )
        return context


class IssuingUnitField(OrganizationTypeaheadField):
    """Cleans the posted id to an active ``IssuingUnit`` in the user's scope."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", IssuingUnitWidget())
        super().__init__(**kwargs)

    def to_python(self, value) -> IssuingUnit | None:
        if value in self.empty_values:
            return None
        unit = selectors.issuing_unit_choice(user=self.user, pk=value)
        if unit is None:
            raise forms.ValidationError("发证单位不存在或不在您的管辖范围内，请重新查询选择")
        if not unit.is_active:
            raise forms.ValidationError(f"发证单位“{unit}”已注销，不能选择")
        return unit


def _this_year() -> int:
    return timezone.localdate().year


class CertificateNumberGenerateForm(BaseForm):
    issuing_unit = IssuingUnitField(label="发证单位")
    year = forms.IntegerField(label="年度", initial=_this_year, min_value=2000, max_value=9999)
    start = forms.IntegerField(label="开始序号", min_value=1, max_value=SEQUENCE_MAX)
    end = forms.IntegerField(
        label="结束序号",
        min_value=1,
        max_value=SEQUENCE_MAX,
        help_text=(
            f"{CERTIFICATE_NUMBER_HELP}；一次最多生成 {NUMBERS_PER_GENERATION_MAX:,} 个，"
            "已生成的序号不能重复"
        ),
    )


# --- 1.17 证书发放 / public verification ---------------------------------------------------------


class VerifyForm(forms.Form):
    number = forms.RegexField(
        label="证书编号",
        regex=r"^\d{18}$",
        max_length=18,
        error_messages={"invalid": "证书编号为18位数字"},
    )
    name = forms.CharField(label="姓名", max_length=50)
    code = forms.CharField(
        label="核验码", max_length=8, required=False, help_text="选填，证书上的8位核验码"
    )
