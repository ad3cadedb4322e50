from django import forms
from django.utils import timezone

from zhicheng.quotas.services import COUNT_MAX
from zhicheng.web.forms import BaseForm

VACANT_HELP = "不超过空岗数（核定岗位数 − 已聘人数）"


def _this_year() -> int:
    return timezone.localdate().year


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=COUNT_MAX, initial=0, help_text=help_text
    )


class QuotaDeclarationForm(BaseForm):
    """申报 (with the year) and 修改 (``with_year=False``: the year of a declaration stays)."""

    year = forms.IntegerField(label="年度", initial=_this_year, min_value=2000, max_value=9999)
    senior_approved = _count("高级核定岗位数")
    senior_filled = _count("高级已聘人数")
    senior_requested = _count("高级申报职数", VACANT_HELP)
    intermediate_approved = _count("中级核定岗位数")
    intermediate_filled = _count("中级已聘人数")
    intermediate_requested = _count("中级申报职数", VACANT_HELP)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    note = forms.CharField(label="说明", max_length=1000, required=False, widget=forms.Textarea)

    def __init__(self, *args, with_year: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_year:
            del self.fields["year"]
