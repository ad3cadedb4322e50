"""The committee compiles its plan on the detail page: each section's 新增 / 移除, 呈报, and the
attachments' preview. A refused change re-renders the page with the form and its message (what
was typed stays); a removal or 呈报 refused comes back as a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.scoping import id_or_404
from zhicheng.plans import selectors, services
from zhicheng.plans.forms import ExpertRequirementForm, PlanAttachmentForm, ScoringItemForm
from zhicheng.plans.models import (
    EvaluationPlan,
    ExpertRequirement,
    PlanAttachment,
    PlanParticipant,
    ScoringItem,
)
from zhicheng.plans.views import CHANGE, VIEW, PlanDetailView
from zhicheng.web.views_pages import add_service_error


def _detail_url(plan_id: int, anchor: str = "") -> str:
    return reverse("plans:plan-detail", args=[plan_id]) + (f"#{anchor}" if anchor else "")


class _CompileView(LoginRequiredMixin, View):
    """POST only, by a user who may compile plans, on a plan they can see (404 otherwise)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied("无权执行此操作")
        return super().dispatch(request, *args, **kwargs)

    def plan(self) -> EvaluationPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])


class _SectionAdd(_CompileView):
    """新增 to a section through a form; ``add(plan, **cleaned_data)`` calls the service."""

    form_class: type
    form_name = ""
    anchor = ""
    done = ""

    def make_form(self, plan: EvaluationPlan, data=None, files=None):
        return self.form_class(data, files, user=self.request.user)

    def add(self, plan: EvaluationPlan, **data) -> Any:
        raise NotImplementedError

    def post(self, request, pk):
        plan = self.plan()
        form = self.make_form(plan, request.POST, request.FILES)
        if form.is_valid():
            try:
                self.add(plan, **form.cleaned_data)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, self.done)
                return HttpResponseRedirect(_detail_url(plan.pk, self.anchor))
        page = PlanDetailView()
        page.setup(request, pk=pk)
        page.object = plan
        context = page.get_context_data(**{self.form_name: form})
        return render(request, page.template_name, context)


class ExpertAddView(_SectionAdd):
    form_class = ExpertRequirementForm
    form_name = "expert_form"
    anchor = "experts"
    done = "专家需求已添加"

    def make_form(self, plan, data=None, files=None):
        return ExpertRequirementForm(
            data, user=self.request.user, specialties=services.expert_specialties(plan)
        )

    def add(self, plan, **data):
        return services.expert_requirement_add(actor=self.request.user, plan=plan, **data)


class ScoringAddView(_SectionAdd):
    form_class = ScoringItemForm
    form_name = "scoring_form"
    anchor = "scoring"
    done = "打分细则已添加"

    def add(self, plan, **data):
        return services.scoring_item_add(actor=self.request.user, plan=plan, **data)


class AttachmentAddView(_SectionAdd):
    form_class = PlanAttachmentForm
    form_name = "attachment_form"
    anchor = "attachments"
    done = "附件已上传"

    def add(self, plan, **data):
        return services.plan_attachment_add(actor=self.request.user, plan=plan, upload=data["file"])


class ParticipantsAddView(_CompileView):
    """参评人员: the ticked qualified applicants."""

    def post(self, request, pk):
        plan = self.plan()
        ids = [id_or_404(value) for value in request.POST.getlist("application")]
        try:
            added = services.plan_participants_add(
                actor=request.user, plan=plan, application_ids=ids
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已加入参评人员 {added} 人")
        return HttpResponseRedirect(_detail_url(plan.pk, "participants"))


class _SectionRemove(_CompileView):
    """移除 a row of a section; ``model`` and ``remove(row)``; the row's plan must be visible."""

    model: type
    anchor = ""
    done = "已移除"

    def remove(self, row) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        row = self.model.objects.filter(pk=id_or_404(pk)).first()
        plan = selectors.plan_get(user=request.user, pk=row.plan_id if row else 0)
        try:
            self.remove(row)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(_detail_url(plan.pk, self.anchor))


class ParticipantRemoveView(_SectionRemove):
    model = PlanParticipant
    anchor = "participants"
    done = "参评人员已移出"

    def remove(self, row):
        services.plan_participant_remove(actor=self.request.user, participant=row)


class ExpertRemoveView(_SectionRemove):
    model = ExpertRequirement
    anchor = "experts"

    def remove(self, row):
        services.expert_requirement_remove(actor=self.request.user, requirement=row)


class ScoringRemoveView(_SectionRemove):
    model = ScoringItem
    anchor = "scoring"

    def remove(self, row):
        services.scoring_item_remove(actor=self.request.user, item=row)


class AttachmentRemoveView(_SectionRemove):
    model = PlanAttachment
    anchor = "attachments"

    def remove(self, row):
        services.plan_attachment_remove(actor=self.request.user, attachment=row)


class PlanSubmitView(_CompileView):
    def post(self, request, pk):
        plan = self.plan()
        try:
            plan = services.plan_submit(actor=request.user, plan=plan)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(_detail_url(plan.pk))
        messages.success(request, f"方案“{plan}”已呈报，等待审核")
        return HttpResponseRedirect(reverse("plans:plan-list"))


class AttachmentFileView(LoginRequiredMixin, View):
    """查看附件: the file inline (preview), only through a plan the user may see."""

    def get(self, request, pk):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied("无权执行此操作")
        attachment = selectors.plan_attachment_get(user=request.user, pk=id_or_404(pk))
        return attachment_response(attachment)
