"""呈报方案 pages: 1.13 呈报方案审核 (正常), 1.14 呈报方案审核（特殊情况）, 1.23 呈报方案查询, and the
committee's side (新建方案, 修改方案信息; the sections are compiled in ``views_compile``).

One detail page serves everybody: 方案信息, 参评人员, 专家需求, 方案打分细则 and 附件 (previewed in
the browser); the committee edits the sections there while the plan is open; a reviewer reaches
it through 审核 with the review form below."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from zhicheng.common.errors import ApplicationError
from zhicheng.plans import selectors, services
from zhicheng.plans.forms import (
    ExpertRequirementForm,
    PlanAttachmentForm,
    PlanForm,
    PlanReviewForm,
    ScoringItemForm,
)
from zhicheng.plans.listings import PLAN_REVIEWS, PLANS
from zhicheng.plans.models import EvaluationPlan, PlanStatus
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, add_service_error

VIEW = "plans.view_evaluationplan"
ADD = "plans.add_evaluationplan"
CHANGE = "plans.change_evaluationplan"
QUERY_MENU = "1.23"
DETAIL_TEMPLATE = "plans/plan_detail.html"

DETAIL = RowAction("查看详细", "plans:plan-detail", VIEW)
ATTACHMENTS = RowAction("查看附件", "plans:plan-detail", VIEW, fragment="attachments")


def _review_action(permission: str) -> RowAction:
    return RowAction(
        "审核",
        "plans:plan-review",
        permission,
        visible=lambda plan: plan.status == PlanStatus.SUBMITTED,
    )


def _empty_text(user, review_permission: str | None) -> str:
    """Why a plans list is empty, for who is looking (an empty list alone explains nothing)."""
    if user.is_committee:
        return "本评委会还没有呈报方案。点击“新建方案”开始编制，完成后呈报审核。"
    if review_permission and user.has_perm(review_permission):
        return "暂无呈报方案。评委会呈报后，待审核的方案会出现在这里。"
    return (
        "本单位管辖范围内的评委会暂无已呈报的方案。呈报方案由评委会编制并呈报，"
        "由方案审核人员审核；人社部门在此查询所管辖评委会的方案。"
    )


class PlanListView(ListPageView):
    """1.23 呈报方案查询; for a committee account, its own plans with 新建方案."""

    title = "呈报方案查询"
    active_menu = QUERY_MENU
    permission_required = VIEW
    listing = PLANS
    row_actions = (DETAIL, ATTACHMENTS)
    review_permission: str | None = None

    @property
    def empty_text(self) -> str:
        return _empty_text(self.request.user, self.review_permission)

    create_url_name = "plans:plan-create"
    create_permission = ADD
    create_label = "新建方案"


def _normal_review_list(*, user, **filters):
    return selectors.plan_review_list(user=user, special=False, **filters)


def _special_review_list(*, user, **filters):
    return selectors.plan_review_list(user=user, special=True, **filters)


class PlanReviewListView(ListPageView):
    """1.13 呈报方案审核: the 正常 plans; 审核 on those 待审核."""

    title = "呈报方案审核"
    active_menu = "1.13"
    permission_required = VIEW
    listing = PLAN_REVIEWS
    selector = _normal_review_list
    export_key = ""
    row_actions = (_review_action(services.REVIEW_NORMAL), DETAIL, ATTACHMENTS)
    review_permission = services.REVIEW_NORMAL

    @property
    def empty_text(self) -> str:
        return _empty_text(self.request.user, self.review_permission)


class SpecialPlanReviewListView(PlanReviewListView):
    """1.14 呈报方案审核（特殊情况）: the 特殊 plans, reviewed by other people."""

    title = "呈报方案审核（特殊情况）"
    active_menu = "1.14"
    selector = _special_review_list
    row_actions = (_review_action(services.REVIEW_SPECIAL), DETAIL, ATTACHMENTS)
    review_permission = services.REVIEW_SPECIAL


class PlanCreateView(FormPageView):
    title = "新建呈报方案"
    active_menu = QUERY_MENU
    permission_required = ADD
    form_class = PlanForm
    success_message = "方案“{obj}”已创建，请继续填写参评人员、专家需求和打分细则"
    cancel_url_name = "plans:plan-list"

    def perform(self, form) -> EvaluationPlan:
        return services.plan_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("plans:plan-detail", args=[obj.pk])


class PlanUpdateView(FormPageView):
    title = "修改方案信息 - {obj}"
    active_menu = QUERY_MENU
    permission_required = CHANGE
    object_getter = selectors.plan_get
    form_class = PlanForm
    success_message = "方案“{obj}”已保存"
    cancel_url_name = "plans:plan-list"

    def get_initial(self) -> dict[str, Any]:
        plan = self.object
        return {
            "name": plan.name,
            "year": plan.year,
            "is_special": "1" if plan.is_special else "0",
            "special_reason": plan.special_reason,
            "meeting_date": plan.meeting_date,
            "note": plan.note,
            "window": plan.window_id,
        }

    def perform(self, form) -> EvaluationPlan:
        return services.plan_update(actor=self.request.user, plan=self.object, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("plans:plan-detail", args=[obj.pk])


class PlanDetailView(DetailPageView):
    """查看详细 / 查看附件 (the same page, 附件 at ``#attachments``)."""

    title = "呈报方案 - {obj}"
    active_menu = QUERY_MENU
    permission_required = VIEW
    object_getter = selectors.plan_get
    template_name = DETAIL_TEMPLATE
    back_url_name = "plans:plan-list"

    def get_fields(self, plan: EvaluationPlan):
        fields = [
            ("方案名称", plan.name),
            ("评委会", plan.committee.name),
            ("评审年度", plan.year),
            ("方案类型", plan.kind_display),
            ("申报批次", plan.window or "不限（本评委会全部参评资格人员）"),
        ]
        if plan.is_special:
            fields.append(("特殊情况说明", plan.special_reason))
        fields += [
            ("拟评审日期", plan.meeting_date),
            ("方案说明", plan.note),
            ("状态", plan.get_status_display()),
            ("呈报时间", plan.submitted_at),
        ]
        if plan.reviewed_at:
            fields += [
                ("审核人", plan.reviewed_by),
                ("审核时间", plan.reviewed_at),
                ("审核意见", plan.review_opinion),
            ]
        return fields

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(plan_sections(self.request, self.object, **kwargs))
        return context


def plan_sections(request, plan: EvaluationPlan, **bound_forms) -> dict[str, Any]:
    """The sections of the detail page and, for the committee while the plan is open, the forms
    that change them (a bound form with its errors when a change was refused)."""
    editable = (
        plan.is_editable
        and request.user.has_perm(CHANGE)
        and plan.committee.account_id == request.user.pk
    )
    context: dict[str, Any] = {
        "plan": plan,
        "editable": editable,
        "participants": selectors.plan_participants(plan=plan),
        "experts": selectors.plan_experts(plan=plan),
        "scoring": selectors.plan_scoring(plan=plan),
        "scoring_total": selectors.plan_scoring_total(plan=plan),
        "full_marks": services.FULL_MARKS,
        "attachments": selectors.plan_attachments(plan=plan),
    }
    if editable:
        context.update(
            candidates=selectors.candidates(plan=plan),
            expert_form=bound_forms.get("expert_form")
            or ExpertRequirementForm(
                user=request.user, specialties=services.expert_specialties(plan)
            ),
            scoring_form=bound_forms.get("scoring_form") or ScoringItemForm(user=request.user),
            attachment_form=bound_forms.get("attachment_form")
            or PlanAttachmentForm(user=request.user),
        )
    return context


class PlanReviewView(PlanDetailView):
    """审核: the whole plan, then 审核结果 and 审核意见 → 保存."""

    title = "审核呈报方案 - {obj}"

    def get_review_permission(self) -> str:
        return services.review_permission(self.object)

    @property
    def active_menu(self) -> str:  # type: ignore[override]
        return "1.14" if self.object and self.object.is_special else "1.13"

    def get_back_url(self) -> str:
        name = "plans:special-review-list" if self.object.is_special else "plans:review-list"
        return reverse(name)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        may_review = self.request.user.has_perm(self.get_review_permission())
        context.update(
            back_url=self.get_back_url(),
            review_form=kwargs.get("review_form") or PlanReviewForm(user=self.request.user),
            may_review=may_review and self.object.status == PlanStatus.SUBMITTED,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PlanReviewForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                plan = services.plan_review(
                    actor=request.user, plan=self.object, **form.cleaned_data
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"方案“{plan}”{plan.get_status_display()}")
                return HttpResponseRedirect(self.get_back_url())
        return self.render_to_response(self.get_context_data(review_form=form))
