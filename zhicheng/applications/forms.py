"""Forms of the applicant's application and of the reviewers' pages."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from zhicheng.catalog import selectors as catalog_selectors
from zhicheng.catalog.models import AcquisitionMethod, Title, TitleSeries
from zhicheng.committees.models import Committee
from zhicheng.orgs.models import Organization
from zhicheng.orgs.widgets import OrganizationTypeaheadWidget
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput

from . import selectors
from .models import (
    APPLICATION_METHODS,
    AttachmentCategory,
    Education,
    ReturnModule,
    ReturnReason,
)
from .services import MAX_WORK_EXPERIENCES, WorkExperienceData

# --- reviewers ------------------------------------------------------------------------------


def title_choices(user) -> list:
    """申报职称 grouped by series (the series in their order, each series' titles by level)."""
    return [("", "全部"), *catalog_selectors.title_choice_groups(user=user)]


class ReviewForm(BaseForm):
    """审核: the decision, the opinion and the checklist of common return reasons."""

    APPROVE, RETURN, SUPPLEMENT = "approve", "return", "return_for_supplement"

    decision = forms.ChoiceField(
        label="审核结果",
        choices=[
            (APPROVE, "审核通过"),
            (RETURN, "审核不通过，退回"),
            (SUPPLEMENT, "退回补充材料（将上级的退回继续退给下级）"),
        ],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    reasons = forms.MultipleChoiceField(
        label="退回原因（可多选，一次性告知）",
        choices=ReturnReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.MultipleChoiceField(
        label="补正模块（退回时勾选，申报人只能修改所选模块；不选为全部）",
        choices=ReturnModule.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_workdays = forms.IntegerField(
        label="补正期限（工作日）",
        min_value=1,
        max_value=60,
        required=False,
        help_text="退回至申报人时生效，自次日起按工作日计算；不填为10个工作日",
    )
    deadline = forms.DateField(
        label="或补正截止日期",
        required=False,
        widget=DateInput(),
        help_text="填写后以此日期为准，须晚于今天",
    )
    opinion = forms.CharField(
        label="审核意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="审核通过可不填；退回时必须填写，写明需要补正的全部内容",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, allow_supplement: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not allow_supplement:
            field = self.fields["decision"]
            field.choices = [c for c in field.choices if c[0] != self.SUPPLEMENT]


# --- the applicant ----------------------------------------------------------------------------


class EmployerWidget(OrganizationTypeaheadWidget):
    """The organization typeahead, searching the public list of employers
    (``/api/v1/applications/employers/``) instead of the officer's own subtree."""

    search_url = reverse_lazy("application-employers")
    placeholder = "录入单位名称，回车查询，支持模糊查询"
    empty_message = "未找到匹配的用人单位，请换个关键字（名称、统一社会信用代码或拼音首字母）"

    def get_context(self, name, value, attrs):
        if value not in (None, "") and not isinstance(value, Organization):
            value = selectors.employer_get(value) or ""
        return super().get_context(name, value, attrs)


class EmployerField(forms.Field):
    widget = EmployerWidget

    def to_python(self, value) -> Organization | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Organization):  # a locked field keeps its initial organization
            value = value.pk
        employer = selectors.employer_get(value)
        if employer is None:
            raise forms.ValidationError("用人单位不存在或已注销，请重新查询选择")
        return employer

    def prepare_value(self, value):
        return value


class ApplicationForm(BaseForm):
    """新建 / 编辑申报, in the order of the wizard: 取得方式 → 职称 and 专业 → 用人单位 → 受理机构
    (申报须知) or 评委会 → 个人及工作信息 → 诚信承诺. Work history is a formset beside it."""

    acquisition_method = forms.ChoiceField(
        label="取得方式",
        choices=[(m.value, m.label) for m in APPLICATION_METHODS],
        widget=forms.RadioSelect,
    )
    series = forms.ModelChoiceField(
        label="职称系列",
        queryset=TitleSeries.objects.none(),
        empty_label="请选择",
    )
    title = forms.ModelChoiceField(
        label="申报职称", queryset=Title.objects.none(), empty_label="请先选择职称系列"
    )
    specialty = forms.TypedChoiceField(label="申报专业", coerce=int, empty_value=None)
    employer = EmployerField(label="用人单位")
    committee = forms.ModelChoiceField(
        label="评委会",
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    notice_acknowledged = forms.BooleanField(
        label="我已阅读并知晓受理机构的申报须知", required=False
    )
    education = forms.ChoiceField(label="学历", choices=[("", "请选择"), *Education.choices])
    school = forms.CharField(label="毕业院校", max_length=100)
    major = forms.CharField(label="所学专业", max_length=100)
    graduation_date = forms.DateField(label="毕业时间", widget=DateInput())
    work_start_date = forms.DateField(label="参加工作时间", widget=DateInput())
    current_title_name = forms.CharField(
        label="现职称", max_length=50, required=False, help_text="没有可不填"
    )
    current_title_date = forms.DateField(label="现职称取得时间", required=False, widget=DateInput())
    out_of_province = forms.BooleanField(
        label="省外资格确认（已在外省取得该职称，申请确认）",
        required=False,
        help_text="按认定办理：取得方式选择“认定”，并在电子档案上传省外职称证书",
    )
    origin_province = forms.CharField(label="原取得省份", max_length=20, required=False)
    origin_certificate_number = forms.CharField(label="原证书编号", max_length=50, required=False)
    integrity_pledged = forms.BooleanField(
        label="本人承诺所填信息及所传材料真实、准确、完整，如有虚假，愿承担相应责任并接受记入失信黑名单的处理",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, application=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = TitleSeries.objects.filter(titles__isnull=False).distinct()
        self.locked_fields: list[str] = []
        if application is not None and application.restricted_modules:
            # 退回补正: the parts outside the named modules are shown, not editable (the
            # service refuses a change to them as well).
            for name, field in self.fields.items():
                key = "title" if name == "series" else name
                if key != "version" and not application.may_edit_field(key):
                    field.disabled = True
                    self.locked_fields.append(name)
        series = self._value("series")
        try:
            series_id = int(series) if series else None
        except (TypeError, ValueError):
            series_id = None
        # Only the 栏目大类 of the chosen series (the service refuses others as well).
        self.fields["specialty"].choices = [
            ("", "请选择"),
            *selectors.specialty_choices(series_id),
        ]
        titles = Title.objects.select_related("series")
        self.fields["title"].queryset = titles.filter(series_id=series) if series else titles.all()
        self.fields["committee"].queryset = Committee.objects.accepting_work()
        self.fields["committee"].label_from_instance = lambda c: c.name

    def _value(self, name: str):
        if self.is_bound and not self.fields[name].disabled:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value)

    def clean(self):
        data = super().clean()
        method = data.get("acquisition_method")
        title = data.get("title")
        series = data.get("series")
        if title is not None and series is not None and title.series_id != series.pk:
            self.add_error("title", "所选职称不属于该职称系列")
        if method == AcquisitionMethod.EVALUATION:
            data["notice_acknowledged"] = None
        else:
            data["committee"] = None
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("series", None)
        data.pop("version", None)
        data["specialty"] = selectors.specialty_get(data["specialty"])
        data["education"] = data.get("education") or ""
        return data


class WorkExperienceForm(forms.Form):
    start_date = forms.DateField(label="开始时间", widget=DateInput(), required=False)
    end_date = forms.DateField(label="结束时间", widget=DateInput(), required=False)
    organization_name = forms.CharField(label="工作单位", max_length=200, required=False)
    position = forms.CharField(label="岗位/职务", max_length=100, required=False)
    description = forms.CharField(label="从事专业技术工作", max_length=500, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        filled = any(data.get(k) for k in self.fields)
        if filled and not (data.get("start_date") and data.get("organization_name")):
            raise forms.ValidationError("请填写开始时间和工作单位，或清空整行")
        # The date order is the service's rule (application_create/update): its message is
        # shown on the form.
        return data

    def row(self) -> WorkExperienceData | None:
        data = self.cleaned_data
        if not (data.get("start_date") and data.get("organization_name")):
            return None
        return WorkExperienceData(
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            organization_name=data["organization_name"],
            position=data.get("position", ""),
            description=data.get("description", ""),
        )


# One blank row; the page's "添加一行" (applications/work_history.js) adds more from the empty form.
WorkExperienceFormSet = forms.formset_factory(
    WorkExperienceForm, extra=1, max_num=MAX_WORK_EXPERIENCES
)


class AttachmentForm(BaseForm):
    category = forms.ChoiceField(
        label="材料类别", choices=[("", "请选择"), *AttachmentCategory.choices]
    )
    file = forms.FileField(
        label="文件", help_text="PDF、JPG 或 PNG，单个文件不超过20MB（按文件内容检查格式）"
    )
