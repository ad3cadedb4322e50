import functools

from django import forms

from zhicheng.catalog.models import TitleLevel
from zhicheng.orgs.widgets import OrganizationTypeaheadField
from zhicheng.routing.models import (
    OFFICE_METHODS,
    ROUTE_KIND_LEVELS,
    NodeType,
    RouteKind,
)
from zhicheng.routing.services import NOTICE_MAX_CHARS
from zhicheng.web.forms import BaseForm, QueryForm

ALL = [("", "全部")]
PICK = [("", "请选择")]
METHOD_CHOICES = [(m.value, m.label) for m in OFFICE_METHODS]


def level_choices(kind: str | None = None) -> list[tuple[str, str]]:
    values = ROUTE_KIND_LEVELS[kind] if kind else TitleLevel.values
    return [(v, TitleLevel(v).label) for v in values]


# --- 1.3 acceptance offices -------------------------------------------------------------------


class AcceptanceOfficeForm(BaseForm):
    node_type = forms.ChoiceField(label="受理节点类型", choices=PICK + NodeType.choices)
    organization = OrganizationTypeaheadField(label="机构名称")
    level = forms.ChoiceField(label="职称等级", choices=PICK + level_choices())
    acquisition_method = forms.ChoiceField(label="取得方式", choices=PICK + METHOD_CHOICES)


class NoticeForm(BaseForm):
    notice = forms.CharField(
        label="申报须知",
        required=False,
        max_length=NOTICE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "申报人申报前阅读的须知。空行分段；以“- ”开头的行显示为列表，以“1. ”开头的行显示为"
            "编号列表；**文字** 显示为加粗。"
        ),
    )


# --- 1.4–1.8 review routes --------------------------------------------------------------------

ROUTE_HELP = (
    "审核路径自上而下配置：先由顶端机构（{top}）配置其下级机构，再由各级机构逐级配置自己的"
    "下级机构。一个机构在同一审核路径、同一职称等级下只能有一个上级，路径不能形成循环；"
    "还有下级机构的节点须先注销或调整其下级后才能注销。"
)


class RouteEdgeCreateForm(BaseForm):
    level = forms.ChoiceField(label="职称等级", choices=PICK + level_choices())
    superior = OrganizationTypeaheadField(label="上级机构", help_text="默认为本人所属机构")
    node_type = forms.ChoiceField(label="下级节点类型", choices=PICK + NodeType.choices)
    subordinate = OrganizationTypeaheadField(label="机构名称", help_text="要加入的下级机构")


@functools.cache
def route_form_class(base: type[forms.Form], kind: str) -> type[forms.Form]:
    """``base`` with the 职称等级 choices of one route kind (fields are fixed per class, since a
    bound form validates while it is constructed)."""
    empty = ALL if issubclass(base, QueryForm) else PICK
    level = forms.ChoiceField(
        label="职称等级", choices=empty + level_choices(kind), required=empty is PICK
    )
    return type(f"{base.__name__}_{kind}", (base,), {"level": level})


class RouteEdgeUpdateForm(BaseForm):
    superior = OrganizationTypeaheadField(
        label="上级机构", help_text="更换上级机构时，该机构的下级机构随之移动"
    )
    node_type = forms.ChoiceField(label="下级节点类型", choices=PICK + NodeType.choices)
    subordinate = OrganizationTypeaheadField(label="机构名称")


class RoutePreviewForm(BaseForm):
    employer = OrganizationTypeaheadField(label="用人单位", active_only=False)
    kind = forms.ChoiceField(label="审核路径", choices=PICK + RouteKind.choices)
    level = forms.ChoiceField(label="职称等级", choices=PICK + level_choices())

    def clean(self):
        data = super().clean()
        kind, level = data.get("kind"), data.get("level")
        if kind and level and level not in ROUTE_KIND_LEVELS[kind]:
            allowed = "、".join(TitleLevel(v).label for v in ROUTE_KIND_LEVELS[kind])
            self.add_error("level", f"{RouteKind(kind).label}审核路径只适用于{allowed}职称")
        return data
