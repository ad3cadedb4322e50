"""The 评委会 lists (1.10 管理, 1.11 查询), declared once: page, export and API derive from them."""

import dataclasses

from django import forms

from zhicheng.committees import selectors
from zhicheng.committees.forms import series_choices
from zhicheng.committees.models import CommitteeLevel, CommitteeStatus
from zhicheng.committees.selectors import Validity
from zhicheng.common.listing import Col, Filter, Listing

NOWRAP = "text-nowrap"


def _series_field(flt: Filter) -> forms.Field:
    # Choices read when the form is built (callable), so a new series shows up at once.
    return forms.TypedChoiceField(
        label=flt.label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=lambda: [("", "全部"), *series_choices()],
    )


COMMITTEES = Listing(
    name="committees-query",
    title="评委会查询",
    permission="committees.view_committee",
    selector=selectors.committee_list,
    filters=(
        Filter("name", "评委会名称", max_length=200),
        Filter("account", "评委会账号", max_length=150),
        Filter("level", "评委会级别", "choice", choices=CommitteeLevel.choices),
        Filter("series", "职称系列", "int", form_field=_series_field),
        Filter("approval_number", "核准备案文号", max_length=100),
        Filter("validity", "有效状态", "choice", choices=Validity.choices),
        Filter("status", "状态", "choice", choices=CommitteeStatus.choices),
        Filter("managed", "仅本机构管理", "flag", page=False),
    ),
    columns=(
        Col("评委会名称", "name", link=True, width=40),
        Col(
            "评委会级别",
            "get_level_display",
            "level",
            css_class=NOWRAP,
            choices=CommitteeLevel.choices,
            width=10,
        ),
        Col("职称系列", "series", "series__name", css_class=NOWRAP, width=14),
        Col("评委会账号", "account.username", css_class=NOWRAP, width=20),
        Col("管理机构", field="organization__name", width=32, page=False),
        Col("核准备案文号", "approval_number", width=24),
        Col("有效期", template="committees/_validity_cell.html", export=False),
        Col("有效期起", field="valid_from", width=12, page=False),
        Col("有效期止", field="valid_until", width=12, page=False),
        Col(
            "状态",
            template="committees/_status_cell.html",
            field="status",
            choices=CommitteeStatus.choices,
            width=8,
        ),
        Col("有效状态", field="validity_label", width=10, page=False),
        Col("评审专业数", field="specialty_count", width=10, page=False),
        Col("组建单位数", field="organizer_count", width=10, page=False),
        Col("缴费标准数", field="fee_count", width=10, page=False),
        Col("注销原因", field="deregister_reason", width=30, page=False),
        Col("注销时间", field="deregistered_at", width=20, page=False),
    ),
)

# 1.10: the committees the officer's organization manages.
MANAGED_COMMITTEES = dataclasses.replace(
    COMMITTEES,
    name="committees",
    title="评委会",
    permission="committees.change_committee",
    fixed={"managed": True},
)
