"""证书遗失补发: the holder's 申请补发 (from 我的申报), the issuing unit's 补发申请 list with 补发 /
不予补发 (each confirmed); and 本单位人员证书, the employer's list of its people's certificates."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from zhicheng.certificates import pdf, selectors
from zhicheng.certificates.listings import EMPLOYEE_CERTIFICATES, REISSUES
from zhicheng.certificates.models import REISSUE_REASON_MAX, ReissueStatus
from zhicheng.certificates.services import reissue
from zhicheng.web.views_list import ListPageView, RowAction, ToolbarButton
from zhicheng.web.views_pages import FormPageView, ObjectActionView

VIEW_REISSUE = "certificates.view_certificatereissue"


def _open(row) -> bool:
    return row.status == ReissueStatus.REQUESTED


APPROVE = RowAction(
    "补发",
    "certificates:reissue-approve",
    reissue.REISSUE,
    method="post",
    confirm=(
        "确定为“{obj}”补发证书吗？将以原证书编号和内容重新签发一份带“补发”标记的证书，"
        "原证书核验将显示为已补发（作废）。"
    ),
    visible=_open,
)
REFUSE = RowAction(
    "不予补发",
    "certificates:reissue-refuse",
    reissue.REISSUE,
    method="post",
    confirm="确定不予补发“{obj}”吗？",
    reason="不予补发原因",
    style="danger",
    visible=_open,
)


class ReissueListView(ListPageView):
    title = "证书补发"
    active_menu = "1.20"
    permission_required = VIEW_REISSUE
    listing = REISSUES
    row_actions = (APPROVE, REFUSE)


class ReissueApproveView(ObjectActionView):
    permission_required = reissue.REISSUE
    object_getter = selectors.reissue_get
    success_message = "已补发证书：{obj}"
    success_url_name = "certificates:reissue-list"

    def perform(self, obj, *, reason=""):
        done = reissue.reissue_approve(
            actor=self.request.user,
            reissue=obj,
            opinion=reason,
            public_url=pdf.public_url(self.request),
        )
        return f"{done.certificate}（第{done.copy}份）"


class ReissueRefuseView(ObjectActionView):
    permission_required = reissue.REISSUE
    object_getter = selectors.reissue_get
    success_message = "已不予补发：{obj}"
    success_url_name = "certificates:reissue-list"
    require_reason = True
    reason_label = "不予补发原因"

    def perform(self, obj, *, reason=""):
        return reissue.reissue_refuse(actor=self.request.user, reissue=obj, opinion=reason)


class ReissueRequestForm(forms.Form):
    reason = forms.CharField(
        label="补发原因",
        max_length=REISSUE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：证书遗失、损毁。补发的证书编号和内容不变，原证书作废。",
    )


class ReissueRequestView(FormPageView):
    """申请补发 of the holder's own certificate."""

    title = "申请补发证书 - {obj}"
    permission_required = reissue.REQUEST
    object_getter = selectors.holder_certificate_get
    form_class = ReissueRequestForm
    submit_label = "提交补发申请"
    success_message = "补发申请已提交，发证单位办理后可在“我的证书”下载补发的证书"

    def perform(self, form):
        return reissue.reissue_request(
            actor=self.request.user, certificate=self.object, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("persons:workspace")

    def get_cancel_url(self) -> str:
        return reverse("persons:workspace")


class EmployeeCertificateListView(ListPageView):
    title = "本单位人员证书"
    permission_required = selectors.VIEW_EMPLOYEE
    listing = EMPLOYEE_CERTIFICATES
    row_actions = (RowAction("查看证书", "certificates:certificate-file", selectors.VIEW_EMPLOYEE),)


REISSUE_TOOLBAR = ToolbarButton("补发申请", "certificates:reissue-list", VIEW_REISSUE)
