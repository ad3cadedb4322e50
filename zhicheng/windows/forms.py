from django import forms
from django.utils import timezone

from zhicheng.catalog.models import TitleLevel, TitleSeries
from zhicheng.web.forms import BaseForm


class MinuteInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _this_year() -> int:
    return timezone.localdate().year


def _minute_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=MinuteInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="精确到分钟",
    )


class ApplicationWindowForm(BaseForm):
    """开设 and 修改 a 申报批次."""

    name = forms.CharField(label="批次名称", max_length=100)
    year = forms.IntegerField(label="申报年度", initial=_this_year, min_value=2000, max_value=2100)
    series = forms.ModelChoiceField(
        label="职称系列",
        queryset=TitleSeries.objects.order_by("sort_order", "pk"),
        empty_label="请选择",
    )
    level = forms.ChoiceField(label="职称级别", choices=[("", "请选择"), *TitleLevel.choices])
    opens_at = _minute_field("开始时间")
    closes_at = _minute_field("结束时间")
    note = forms.CharField(label="说明", max_length=500, required=False)
