from django import forms
from django.utils import timezone

from zhicheng.catalog.models import Specialty
from zhicheng.committees import selectors as committee_selectors
from zhicheng.plans.models import ExpertLevel
from zhicheng.plans.services import FULL_MARKS, OPINION_MAX, committee_levels
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput
from zhicheng.windows import selectors as window_selectors
from zhicheng.windows.models import ApplicationWindow


def _this_year() -> int:
    return timezone.localdate().year


class PlanForm(BaseForm):
    name = forms.CharField(label="方案名称", max_length=200)
    year = forms.IntegerField(label="评审年度", initial=_this_year, min_value=2000, max_value=9999)
    is_special = forms.TypedChoiceField(
        label="方案类型",
        choices=[("0", "正常方案"), ("1", "特殊方案")],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
        help_text="正常方案与特殊方案由不同的人员审核",
    )
    special_reason = forms.CharField(
        label="特殊情况说明",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="特殊方案必填",
    )
    meeting_date = forms.DateField(label="拟评审日期", required=False, widget=DateInput())
    note = forms.CharField(
        label="方案说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    window = forms.ModelChoiceField(
        label="申报批次",
        queryset=ApplicationWindow.objects.none(),
        required=False,
        empty_label="不限",
        help_text="选择后，方案只能加入该申报批次提交的参评人员",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        committee = committee_selectors.committee_for_account(user=self.user) if self.user else None
        if committee is not None:
            self.fields["window"].queryset = window_selectors.windows_for_committee(
                series_id=committee.series_id, levels=committee_levels(committee)
            )


class ExpertRequirementForm(BaseForm):
    specialty = forms.ModelChoiceField(label="专业", queryset=Specialty.objects.none())
    level = forms.ChoiceField(label="专家职称级别", choices=ExpertLevel.choices)
    count = forms.IntegerField(label="人数", min_value=1, max_value=99)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, specialties=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The committee's own 评审专业: its experts are needed in what it evaluates.
        if specialties is not None:
            self.fields["specialty"].queryset = specialties


class ScoringItemForm(BaseForm):
    name = forms.CharField(label="打分项目", max_length=100)
    max_score = forms.IntegerField(label="分值", min_value=1, max_value=FULL_MARKS)
    description = forms.CharField(label="评分标准", max_length=500, required=False)


class PlanAttachmentForm(BaseForm):
    file = forms.FileField(label="附件", help_text="PDF、JPG或PNG，单个文件不超过20MB")


class PlanReviewForm(BaseForm):
    approved = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "审核通过"), ("0", "审核不通过")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="审核意见",
        max_length=OPINION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="审核不通过时必填，方案退回评委会修改后重新呈报",
    )
