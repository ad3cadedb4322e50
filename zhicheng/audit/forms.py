from django import forms

from zhicheng.audit import selectors
from zhicheng.web.forms import QueryForm
from zhicheng.web.widgets import DateInput


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class _DateRangeForm(QueryForm):
    # required=False on every field: QueryForm's own loop runs after BaseForm has already
    # validated a bound form, so "该字段是必填项" would show under empty filters.

    date_from = forms.DateField(label="开始日期", widget=DateInput, required=False)
    date_to = forms.DateField(label="结束日期", widget=DateInput, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data


class OperationLogFilterForm(_DateRangeForm):
    actor = forms.CharField(
        label="操作人", max_length=150, required=False, help_text="用户名或姓名"
    )
    operation = forms.ChoiceField(
        label="操作类型", choices=[("", "全部"), *selectors.OPERATION_CHOICES], required=False
    )
    content_type = ContentTypeChoiceField(
        label="对象类型",
        queryset=selectors.operation_log_content_types(),
        empty_label="全部",
        required=False,
    )
    object_repr = forms.CharField(label="对象名称", max_length=200, required=False)
    ip = forms.CharField(label="IP地址", max_length=45, required=False, help_text="前缀匹配")

    field_order = ["actor", "operation", "content_type", "object_repr", "date_from", "date_to"]


class LoginLogFilterForm(_DateRangeForm):
    result = forms.ChoiceField(
        label="登录结果", choices=[("", "全部"), *selectors.LOGIN_RESULT_CHOICES], required=False
    )
    username = forms.CharField(label="用户名", max_length=150, required=False)
    ip = forms.CharField(label="IP地址", max_length=45, required=False, help_text="前缀匹配")

    field_order = ["result", "username", "ip", "date_from", "date_to"]
