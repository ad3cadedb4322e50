from django import forms

from zhicheng.web.forms import QueryForm


class ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class DateRangeQueryForm(QueryForm):
    """The base of the log lists' query forms (``listings``): 开始日期 no later than 结束日期."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期")
        return data
