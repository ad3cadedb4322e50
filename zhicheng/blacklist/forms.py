from django import forms

from zhicheng.blacklist.models import BlacklistReason
from zhicheng.persons.models import IdType
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput


class BlacklistEntryForm(BaseForm):
    """The fields of 修改 (and of 新增, which adds the person)."""

    reason = forms.ChoiceField(label="原因类别", choices=[("", "请选择"), *BlacklistReason.choices])
    document_number = forms.CharField(
        label="依据文号", max_length=100, help_text="处理决定的文号，如 苏人社职〔2026〕12号"
    )
    start_date = forms.DateField(label="开始日期", widget=DateInput())
    end_date = forms.DateField(label="结束日期", widget=DateInput(), help_text="含当日")
    notes = forms.CharField(
        label="备注", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期")
        return data


class BlacklistEntryCreateForm(BlacklistEntryForm):
    """新增: the person by 证件类型 + 证件号码 + 姓名 — filled by choosing from the person search
    (录入人员姓名或身份证号，回车查询), or typed for a person not yet known."""

    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID
    )
    id_number = forms.CharField(label="证件号码", max_length=32)
    name = forms.CharField(label="姓名", max_length=50)
    end_date = forms.DateField(
        label="结束日期", required=False, widget=DateInput(), help_text="不填则为开始日期起3年"
    )

    # Fraud found later: revoke what the person obtained, in the same action (certificates).
    revoke_titles = forms.BooleanField(
        label="同时撤销该人员通过此申报取得的职称及证书",
        required=False,
        help_text="仅原因类别为“提供虚假材料”时可选；已上报人社部的证书同时报送撤销",
    )

    field_order = [
        "id_type",
        "id_number",
        "name",
        "reason",
        "document_number",
        "start_date",
        "end_date",
        "notes",
        "revoke_titles",
    ]

    def clean(self):
        data = super().clean()
        if data.get("revoke_titles") and data.get("reason") != BlacklistReason.FALSE_MATERIALS:
            self.add_error("revoke_titles", "仅原因类别为“提供虚假材料”时可同时撤销职称及证书")
        return data
