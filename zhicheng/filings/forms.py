from django import forms

from zhicheng.filings.models import TEXT_MAX
from zhicheng.filings.services import FILING_NUMBER_MAX, SOURCE_MAX
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput


class PublishForm(BaseForm):
    starts_on = forms.DateField(
        label="公示开始日期",
        widget=DateInput(),
        help_text="公示期不少于5个工作日，结束日期按国家法定节假日和调休安排自动计算",
    )
    note = forms.CharField(label="公示说明", max_length=500, required=False)


class ObjectionForm(BaseForm):
    participant = forms.TypedChoiceField(label="参评人员", coerce=int)
    content = forms.CharField(
        label="异议内容", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label="异议来源", max_length=SOURCE_MAX, help_text="如：实名来信、电话举报"
    )

    def __init__(self, *args, results=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [
            (r.participant_id, r.participant.application.person.name) for r in results
        ]


class ResolveForm(BaseForm):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("1", "异议成立"), ("0", "异议不成立")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        help_text="异议成立的人员移出公示通过名单",
    )
    resolution = forms.CharField(
        label="处理意见", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilingReviewForm(BaseForm):
    approved = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "审核通过"), ("0", "审核不通过")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="审核意见",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="审核不通过时必填，退回评委会修改后重新报送",
    )
    filing_number = forms.CharField(
        label="备案文号", max_length=FILING_NUMBER_MAX, required=False, help_text="审核通过时必填"
    )
    filed_on = forms.DateField(
        label="备案时间", required=False, widget=DateInput(), help_text="审核通过时必填"
    )
