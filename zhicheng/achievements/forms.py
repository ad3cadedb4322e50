from django import forms

from zhicheng.applications.models import AttachmentCategory, Education
from zhicheng.catalog.models import TitleLevel
from zhicheng.web.forms import BaseForm
from zhicheng.web.widgets import DateInput

from .models import CHECKLIST_METHODS, AchievementKind, ItemSource


class AchievementForm(BaseForm):
    """新增 / 修改 an entry of the 个人业绩库. The generic columns read per 类别 (see the help)."""

    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *AchievementKind.choices])
    name = forms.CharField(
        label="名称",
        max_length=200,
        help_text="学历填毕业院校；工作经历填工作单位；论文填题目；专利、获奖、项目、继续教育填名称",
    )
    issuer = forms.CharField(
        label="单位/刊物/来源",
        max_length=200,
        required=False,
        help_text="论文的刊物、专利号、授奖单位、项目来源、培训机构",
    )
    role = forms.CharField(
        label="专业/岗位/排名",
        max_length=100,
        required=False,
        help_text="学历填所学专业；工作经历填岗位/职务；其他填本人排名或角色",
    )
    education = forms.ChoiceField(
        label="学历", choices=[("", "（学历类必填）"), *Education.choices], required=False
    )
    start_date = forms.DateField(
        label="时间", widget=DateInput(), help_text="开始、取得、发表或授权时间"
    )
    end_date = forms.DateField(
        label="结束时间",
        widget=DateInput(),
        required=False,
        help_text="学历填毕业时间；工作经历至今可不填",
    )
    hours = forms.IntegerField(
        label="学时", min_value=1, max_value=10000, required=False, help_text="继续教育必填"
    )
    is_representative = forms.BooleanField(
        label="代表作", required=False, help_text="论文、专利、获奖、项目可标记为代表作"
    )
    note = forms.CharField(
        label="说明",
        max_length=500,
        required=False,
        help_text="工作经历填从事的专业技术工作",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProofForm(BaseForm):
    file = forms.FileField(
        label="证明材料", help_text="PDF、JPG 或 PNG，单个文件不超过20MB（按文件内容检查格式）"
    )


class ChecklistForm(BaseForm):
    """制定 / 修改 a 申报材料清单 (its items are added on its page)."""

    name = forms.CharField(label="清单名称", max_length=100)
    level = forms.ChoiceField(label="职称级别", choices=[("", "请选择"), *TitleLevel.choices])
    acquisition_method = forms.ChoiceField(
        label="取得方式", choices=[("", "请选择"), *((m.value, m.label) for m in CHECKLIST_METHODS)]
    )
    note = forms.CharField(label="说明", max_length=500, required=False)


class ChecklistItemForm(BaseForm):
    name = forms.CharField(label="材料名称", max_length=100, help_text="如 学历证书、继续教育证明")
    source = forms.ChoiceField(label="材料来源", choices=[("", "请选择"), *ItemSource.choices])
    attachment_category = forms.ChoiceField(
        label="电子档案类别",
        choices=[("", "（来源为电子档案时选择）"), *AttachmentCategory.choices],
        required=False,
    )
    achievement_kind = forms.ChoiceField(
        label="业绩类别",
        choices=[("", "（来源为个人业绩时选择）"), *AchievementKind.choices],
        required=False,
    )
    min_count = forms.IntegerField(label="最少数量", min_value=1, max_value=50, initial=1)
    min_hours = forms.IntegerField(
        label="最少学时",
        min_value=1,
        max_value=10000,
        required=False,
        help_text="仅继续教育：已勾选且有证明材料的学时合计不少于此数",
    )
