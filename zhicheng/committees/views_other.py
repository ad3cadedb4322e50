"""其他信息 of a committee (1.10 / 1.11): one page with three HTMX sections — 评审专业, 组建单位,
缴费标准 — editable only for a committee the user manages that is 正常."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from zhicheng.catalog import selectors as catalog_selectors
from zhicheng.committees import selectors, services
from zhicheng.committees.forms import (
    FeeForm,
    OrganizerAddForm,
    SpecialtyAddForm,
)
from zhicheng.committees.models import Committee
from zhicheng.committees.views import CHANGE, MENU_MANAGE, VIEW, menu_for, user_manages
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import query_text

# --- 其他信息 (评审专业, 组建单位, 缴费标准) ---------------------------------------------------------

OTHER_TEMPLATE = "committees/committee_other.html"
SPECIALTY_OPTIONS = 20  # matches offered at once; a longer name narrows the search


def other_info_context(request, committee: Committee, **extra) -> dict[str, Any]:
    editable = (
        committee.is_active
        and request.user.has_perm(CHANGE)
        and user_manages(request.user, committee)
    )
    fees = list(selectors.fee_standard_list(committee=committee))
    fee_forms = [
        (
            fee,
            extra.pop(f"fee_form_{fee.pk}", None)
            or FeeForm(
                initial={"item": fee.item, "amount": f"{fee.amount:.2f}", "note": fee.note},
                user=request.user,
                prefix=f"fee{fee.pk}",
                form_id=f"fee-form-{fee.pk}",
            ),
        )
        for fee in fees
    ]
    context = {
        "committee": committee,
        "object": committee,
        "editable": editable,
        "specialties": selectors.committee_specialty_list(committee=committee),
        "organizers": selectors.committee_organizer_list(committee=committee),
        "fee_forms": fee_forms,
        "organizer_form": OrganizerAddForm(user=request.user),
        "fee_form": FeeForm(user=request.user, prefix="new"),
        "title": f"评委会其他信息 - {committee.name}",
        "active_menu": MENU_MANAGE if editable else menu_for(request.user, committee),
    }
    context.update(extra)
    return context


class CommitteeOtherInfoView(LoginRequiredMixin, View):
    def get(self, request, pk):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied("无权执行此操作")
        committee = selectors.committee_get(user=request.user, pk=pk)
        return render(request, OTHER_TEMPLATE, other_info_context(request, committee))


class _SectionAction(LoginRequiredMixin, View):
    """POST of one 其他信息 section: calls a service, answers the re-rendered section (HTMX) or
    redirects back to the page with a message."""

    http_method_names = ["post"]
    section = ""
    success_message = "已保存"

    def perform(self, committee: Committee) -> None:
        """Call the service; may put forms to re-render into ``self.extra``."""
        raise NotImplementedError

    def post(self, request, pk, **kwargs):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied("无权执行此操作")
        committee = selectors.committee_get_for_manage(user=request.user, pk=pk)
        self.kwargs = kwargs
        self.extra: dict[str, Any] = {}
        try:
            self.perform(committee)
        except ApplicationError as exc:
            self.extra[f"{self.section}_error"] = exc.message
        else:
            self.extra[f"{self.section}_message"] = self.success_message
        committee.refresh_from_db()
        if getattr(request, "htmx", False):
            return render(
                request,
                f"{OTHER_TEMPLATE}#{self.section}",
                other_info_context(request, committee, **self.extra),
            )
        error = self.extra.get(f"{self.section}_error")
        if error:
            messages.error(request, error)
        else:
            messages.success(request, self.success_message)
        return HttpResponseRedirect(reverse("committees:committee-other", args=[committee.pk]))


class SpecialtyAddView(_SectionAction):
    section = "specialties"
    success_message = "评审专业已添加"

    def perform(self, committee):
        form = SpecialtyAddForm(self.request.POST)
        if not form.is_valid():
            raise ApplicationError(form.errors["specialty"][0])
        try:
            specialty = catalog_selectors.specialty_get(
                user=self.request.user, pk=form.cleaned_data["specialty"]
            )
        except Http404:
            raise ApplicationError("所选专业不存在") from None
        services.committee_specialty_add(
            actor=self.request.user, committee=committee, specialty=specialty
        )


class SpecialtyRemoveView(_SectionAction):
    section = "specialties"
    success_message = "评审专业已删除"

    def perform(self, committee):
        link = committee.specialty_links.filter(pk=self.kwargs["link_id"]).first()
        if link is None:
            raise ApplicationError("该评审专业已不存在")
        services.committee_specialty_remove(actor=self.request.user, link=link)


class OrganizerAddView(_SectionAction):
    section = "organizers"
    success_message = "组建单位已添加"

    def perform(self, committee):
        form = OrganizerAddForm(self.request.POST, user=self.request.user)
        if not form.is_valid():
            raise ApplicationError("；".join(form.errors["organization"]))
        services.committee_organizer_add(
            actor=self.request.user,
            committee=committee,
            organization=form.cleaned_data["organization"],
        )


class OrganizerRemoveView(_SectionAction):
    section = "organizers"
    success_message = "组建单位已删除"

    def perform(self, committee):
        link = committee.organizer_links.filter(pk=self.kwargs["link_id"]).first()
        if link is None:
            raise ApplicationError("该组建单位已不存在")
        services.committee_organizer_remove(actor=self.request.user, link=link)


def _form_error(form) -> str:
    return "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items())


class FeeAddView(_SectionAction):
    section = "fees"
    success_message = "缴费标准已添加"

    def perform(self, committee):
        form = FeeForm(self.request.POST, user=self.request.user, prefix="new")
        self.extra["fee_form"] = form  # re-rendered with what was typed if refused
        if not form.is_valid():
            raise ApplicationError(_form_error(form))
        services.fee_standard_create(
            actor=self.request.user, committee=committee, **form.cleaned_data
        )
        del self.extra["fee_form"]


class FeeSaveView(_SectionAction):
    section = "fees"
    success_message = "缴费标准已保存"

    def perform(self, committee):
        fee = committee.fees.filter(pk=self.kwargs["fee_id"]).first()
        if fee is None:
            raise ApplicationError("该缴费标准已不存在")
        form = FeeForm(
            self.request.POST,
            user=self.request.user,
            prefix=f"fee{fee.pk}",
            form_id=f"fee-form-{fee.pk}",
        )
        self.extra[f"fee_form_{fee.pk}"] = form
        if not form.is_valid():
            raise ApplicationError(_form_error(form))
        services.fee_standard_update(actor=self.request.user, fee=fee, **form.cleaned_data)
        del self.extra[f"fee_form_{fee.pk}"]


class FeeDeleteView(_SectionAction):
    section = "fees"
    success_message = "缴费标准已删除"

    def perform(self, committee):
        fee = committee.fees.filter(pk=self.kwargs["fee_id"]).first()
        if fee is None:
            raise ApplicationError("该缴费标准已不存在")
        services.fee_standard_delete(actor=self.request.user, fee=fee)


@login_required
def specialty_search(request, pk):
    """录入专业名称，回车查询，支持模糊查询: the matches as options of the 新增评审专业 form."""
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied("无权执行此操作")
    committee = selectors.committee_get_for_manage(user=request.user, pk=pk)
    term = query_text(request.GET, "q")
    linked = set(committee.specialty_links.values_list("specialty_id", flat=True))
    matches = [
        s
        for s in catalog_selectors.specialty_search(user=request.user, term=term)
        if not s.is_category and s.pk not in linked
    ][:SPECIALTY_OPTIONS]
    return render(
        request,
        "committees/_specialty_options.html",
        {"term": term, "matches": matches, "committee": committee},
    )
