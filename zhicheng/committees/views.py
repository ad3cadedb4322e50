"""评委会管理 (1.10) and 评委会查询 (1.11) pages, and the committee account's workspace.

1.10 lists the committees the officer's bureau manages (新增 / 编辑 / 其他信息 / 重置密码 / 注销,
批量导入, 导出); 1.11 lists every committee the user may read (详情 / 其他信息 / 导出). The
其他信息 page is in ``views_other``.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View

from zhicheng.committees import selectors, services
from zhicheng.committees.forms import (
    CommitteeCreateForm,
    CommitteeUpdateForm,
)
from zhicheng.committees.listings import COMMITTEES, MANAGED_COMMITTEES
from zhicheng.committees.models import Committee
from zhicheng.committees.tabular import IMPORT_KEY
from zhicheng.common.errors import ApplicationError
from zhicheng.tabular.writer import neutralize
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU_MANAGE = "1.10"
MENU_QUERY = "1.11"
VIEW = "committees.view_committee"
ADD = "committees.add_committee"
CHANGE = "committees.change_committee"
DEREGISTER = "committees.deregister_committee"

DETAIL = RowAction("详情", "committees:committee-detail", VIEW)
OTHER = RowAction("其他信息", "committees:committee-other", VIEW)
EDIT = RowAction("编辑", "committees:committee-update", CHANGE, visible=lambda c: c.is_active)
RESET_PASSWORD = RowAction(
    "重置密码",
    "committees:committee-reset-password",
    CHANGE,
    method="post",
    confirm="确定重置评委会“{obj}”的账号密码吗？将生成新的初始密码，评委会下次登录须修改密码。",
    style="warning",
    visible=lambda c: c.is_active,
)
DEREGISTER_ACTION = RowAction(
    "注销",
    "committees:committee-deregister",
    DEREGISTER,
    method="post",
    confirm="确定注销评委会“{obj}”吗？注销后其账号将被停用，不能再受理评审，历史记录保留。",
    reason="注销原因",
    style="danger",
    visible=lambda c: c.is_active,
)


def user_manages(user, committee: Committee) -> bool:
    return selectors.committee_managed(user).filter(pk=committee.pk).exists()


def menu_for(user, committee: Committee) -> str:
    return MENU_MANAGE if user_manages(user, committee) else MENU_QUERY


# --- 1.10 评委会管理 --------------------------------------------------------------------------


class CommitteeListView(ListPageView):
    title = "评委会管理"
    active_menu = MENU_MANAGE
    permission_required = CHANGE
    template_name = "committees/committee_list.html"
    listing = MANAGED_COMMITTEES
    row_actions = (DETAIL, EDIT, OTHER, RESET_PASSWORD, DEREGISTER_ACTION)
    create_url_name = "committees:committee-create"
    create_permission = ADD
    import_key = IMPORT_KEY
    empty_text = "暂无评委会"

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["handouts"] = list(selectors.account_handout_pending(user=self.request.user))
        return context


def _password_page(request, committee: Committee, password: str, *, created: bool):
    """The one page showing a committee's generated password: rendered once, never stored."""
    response = render(
        request,
        "committees/committee_password.html",
        {
            "title": "新增评委会" if created else "重置评委会账号密码",
            "active_menu": MENU_MANAGE,
            "committee": committee,
            "password": password,
            "created": created,
        },
    )
    add_never_cache_headers(response)
    return response


class CommitteeCreateView(FormPageView):
    title = "新增评委会"
    active_menu = MENU_MANAGE
    permission_required = ADD
    form_class = CommitteeCreateForm
    cancel_url_name = "committees:committee-list"

    def perform(self, form):
        data = form.cleaned_data
        committee, password = services.committee_create(
            actor=self.request.user,
            name=data["name"],
            level=data["level"],
            series=data["series"],
            account_username=data["account"],
            approval_number=data["approval_number"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            organization=data.get("organization"),
        )
        messages.success(self.request, f"评委会“{committee.name}”已新增")
        return _password_page(self.request, committee, password, created=True)


class CommitteeUpdateView(FormPageView):
    title = "编辑评委会 - {obj}"
    active_menu = MENU_MANAGE
    permission_required = CHANGE
    object_getter = selectors.committee_get_for_manage
    form_class = CommitteeUpdateForm
    success_message = "评委会“{obj}”已保存"
    cancel_url_name = "committees:committee-list"

    def get_initial(self):
        c = self.object
        return {
            "name": c.name,
            "level": c.level,
            "series": c.series_id,
            "approval_number": c.approval_number,
            "valid_from": c.valid_from,
            "valid_until": c.valid_until,
            "quorum_numerator": c.quorum_numerator,
            "quorum_denominator": c.quorum_denominator,
            "pass_numerator": c.pass_numerator,
            "pass_denominator": c.pass_denominator,
        }

    def perform(self, form):
        return services.committee_update(
            actor=self.request.user, committee=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("committees:committee-detail", args=[obj.pk])


class CommitteeDeregisterView(ObjectActionView):
    permission_required = DEREGISTER
    object_getter = selectors.committee_get_for_manage
    require_reason = True
    reason_label = "注销原因"
    success_message = "评委会“{obj}”已注销，其账号已停用"
    success_url_name = "committees:committee-list"

    def perform(self, obj, *, reason=""):
        return services.committee_deregister(actor=self.request.user, committee=obj, reason=reason)


class CommitteeResetPasswordView(ObjectActionView):
    permission_required = CHANGE
    object_getter = selectors.committee_get_for_manage
    success_url_name = "committees:committee-list"

    def perform(self, obj, *, reason=""):
        password = services.committee_account_reset_password(actor=self.request.user, committee=obj)
        return _password_page(self.request, obj, password, created=False)


class HandoutDownloadView(LoginRequiredMixin, View):
    """下载初始密码文件 (POST, once): the accounts and passwords of one import, as .xlsx."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.has_perm(ADD):
            raise PermissionDenied("无权执行此操作")
        handout = selectors.account_handout_get(user=request.user, pk=pk)
        try:
            entries = services.account_handout_claim(actor=request.user, handout=handout)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("committees:committee-list"))
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(
            buffer,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
        )
        sheet = book.add_worksheet("初始密码")
        bold = book.add_format({"bold": True})
        for col, (header, width) in enumerate(
            (("评委会名称", 40), ("评委会账号", 20), ("初始密码", 20))
        ):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, width)
        for row, entry in enumerate(entries, start=1):
            sheet.write_string(row, 0, neutralize(entry["name"]))
            sheet.write_string(row, 1, neutralize(entry["account"]))
            sheet.write_string(row, 2, entry["password"])  # exactly as typed at login
        sheet.write_string(
            len(entries) + 2, 0, "初始密码仅可下载这一次，请妥善转交各评委会；首次登录须修改密码。"
        )
        book.close()
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"评委会初始密码_{timezone.localtime():%Y%m%d_%H%M%S}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        add_never_cache_headers(response)
        return response


# --- 1.11 评委会查询 --------------------------------------------------------------------------


class CommitteeQueryView(ListPageView):
    title = "评委会查询"
    active_menu = MENU_QUERY
    permission_required = VIEW
    listing = COMMITTEES
    row_actions = (DETAIL, OTHER)
    empty_text = "暂无评委会"


class CommitteeDetailView(DetailPageView):
    title = "评委会详情 - {obj}"
    permission_required = VIEW
    object_getter = selectors.committee_get
    template_name = "committees/committee_detail.html"
    actions = (OTHER, EDIT, RESET_PASSWORD, DEREGISTER_ACTION)

    def bound_actions(self):
        actions = super().bound_actions()
        if user_manages(self.request.user, self.object):
            return actions
        return [a for a in actions if a.action is OTHER]

    def get_fields(self, c: Committee):
        fields = [
            ("评委会名称", c.name),
            ("评委会级别", c.get_level_display()),
            ("职称系列", str(c.series)),
            ("评委会账号", c.account.username),
            ("管理机构", c.organization.name),
            ("核准备案文号", c.approval_number),
            ("有效期", f"{c.valid_from:%Y-%m-%d} 至 {c.valid_until:%Y-%m-%d}"),
            ("状态", c.validity_display),
            ("可受理新的评审", "是" if c.is_accepting_work else "否"),
            ("创建时间", c.created_at),
            ("修改时间", c.updated_at),
        ]
        if not c.is_active:
            fields += [
                ("注销原因", c.deregister_reason),
                ("注销人", c.deregistered_by),
                ("注销时间", c.deregistered_at),
            ]
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active_menu"] = menu_for(self.request.user, self.object)
        context["back_url"] = reverse(
            "committees:committee-list"
            if context["active_menu"] == MENU_MANAGE
            else "committees:committee-query"
        )
        return context


# --- 评委会工作台 ---------------------------------------------------------------------------


@login_required
def workspace(request):
    committee = selectors.committee_for_account(user=request.user)
    if committee is None:
        raise Http404("仅评委会账号可访问评委会工作台")
    return render(
        request,
        "committees/workspace.html",
        {
            "title": "评委会工作台",
            "committee": committee,
            "specialties": selectors.committee_specialty_list(committee=committee),
            "organizers": selectors.committee_organizer_list(committee=committee),
            "fees": selectors.fee_standard_list(committee=committee),
        },
    )
