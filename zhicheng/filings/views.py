"""Pages of 评后公示 (the committee: 发布公示, 登记/处理异议, 报送备案; HR officers read), the public
list (``/publicity/``, no login), 异议 and 1.15 职称评审结果备案 (HR officers of the organization
that approved the plan: 审核 with the list of who passed 公示, 审核结果, 审核意见, 备案文号, 备案时间 →
保存; 查看详细; 查看附件)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from zhicheng.common.errors import ApplicationError
from zhicheng.filings import selectors, services
from zhicheng.filings.forms import FilingReviewForm, ObjectionForm, PublishForm, ResolveForm
from zhicheng.filings.listings import FILINGS, OBJECTIONS, PUBLICITY_PLANS, RESULTS
from zhicheng.filings.models import FilingStatus, ObjectionStatus, ResultFiling
from zhicheng.plans import selectors as plan_selectors
from zhicheng.plans.models import EvaluationPlan
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, ObjectActionView, add_service_error

VIEW_PUBLICITY = "filings.view_publicity"
VIEW_FILING = "filings.view_resultfiling"
PUBLICITY_MENU = "x.publicity"
FILING_MENU = "1.15"

PUBLICITY_DETAIL = RowAction("查看", "filings:publicity-detail", VIEW_PUBLICITY)
FILING_REVIEW = RowAction(
    "审核",
    "filings:filing-review",
    services.REVIEW,
    visible=lambda filing: filing.status == FilingStatus.PENDING,
)
FILING_DETAIL = RowAction("查看详细", "filings:filing-detail", VIEW_FILING)
FILING_ATTACHMENTS = RowAction(
    "查看附件", "filings:filing-detail", VIEW_FILING, fragment="attachments"
)


class PublicityListView(ListPageView):
    """评后公示: the plans whose meeting has closed, with their publicity and filing state."""

    title = "评后公示"
    active_menu = PUBLICITY_MENU
    permission_required = VIEW_PUBLICITY
    listing = PUBLICITY_PLANS
    row_actions = (PUBLICITY_DETAIL,)
    empty_text = "暂无评审会议已结束的方案。评审会议结束后，可在此发布通过人员名单公示。"


def publicity_context(request, plan: EvaluationPlan, **forms) -> dict[str, Any]:
    user = request.user
    publicity = selectors.publicity_of(plan=plan)
    filing = selectors.filing_of(plan=plan)
    results = list(selectors.publicity_passed(plan=plan))
    objections = list(
        selectors.objection_list(user=user).filter(publicity__plan=plan).order_by("pk")
    )
    own = user.has_perm(services.PUBLISH) and plan.committee.account_id == user.pk
    open_for_objections = (
        own and publicity is not None and (filing is None or filing.status == FilingStatus.REJECTED)
    )
    return {
        "plan": plan,
        "publicity": publicity,
        "filing": filing,
        "results": results,
        "removed": selectors.publicity_removed(plan=plan),
        "objections": objections,
        "pending_objections": sum(o.status == ObjectionStatus.PENDING for o in objections),
        "may_publish": own and publicity is None,
        "may_object": open_for_objections,
        "may_send": open_for_objections and publicity.has_ended,
        "publish_form": forms.get("publish_form") or PublishForm(user=user),
        "objection_form": forms.get("objection_form") or ObjectionForm(user=user, results=results),
        "resolve_form": ResolveForm(user=user),
    }


class PublicityDetailView(DetailPageView):
    title = "评后公示 - {obj}"
    active_menu = PUBLICITY_MENU
    permission_required = VIEW_PUBLICITY
    object_getter = selectors.publicity_plan_get
    template_name = "filings/publicity_detail.html"
    back_url_name = "filings:publicity-list"

    def get_fields(self, plan: EvaluationPlan):
        publicity = selectors.publicity_of(plan=plan)
        filing = selectors.filing_of(plan=plan)
        fields = [("方案名称", plan.name), ("评委会", plan.committee.name), ("评审年度", plan.year)]
        if publicity is not None:
            fields += [
                ("公示期", publicity.period_display),
                ("公示状态", publicity.phase()),
                ("公示说明", publicity.note),
            ]
        else:
            fields.append(("公示状态", "未公示"))
        if filing is not None:
            fields += [("备案状态", filing.get_status_display()), ("报送时间", filing.sent_at)]
            if filing.opinion:
                fields.append(("审核意见", filing.opinion))
        return fields

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(publicity_context(self.request, self.object, **kwargs))
        return context


class _PublicityPost(ObjectActionView):
    """A committee's action from the publicity page; a refused one comes back with the message."""

    permission_required = services.PUBLISH
    object_getter = selectors.publicity_plan_get
    form_class: type | None = None

    def redirect_back(self):
        return HttpResponseRedirect(reverse("filings:publicity-detail", args=[self.plan_pk()]))

    def plan_pk(self) -> int:
        return self.object.pk

    def cleaned(self, **kwargs) -> dict[str, Any]:
        form = self.form_class(self.request.POST, user=self.request.user, **kwargs)
        if not form.is_valid():
            errors = [f"{form.fields[f].label if f in form.fields else ''}：{e[0]}".lstrip("：")
                      for f, e in form.errors.items()]  # fmt: skip
            raise ApplicationError("；".join(errors))
        return form.cleaned_data


class PublishView(_PublicityPost):
    form_class = PublishForm
    success_message = "已发布评后公示，公示期 {obj.period_display}"

    def perform(self, obj, *, reason=""):
        return services.publicity_publish(actor=self.request.user, plan=obj, **self.cleaned())


class ObjectionRecordView(_PublicityPost):
    form_class = ObjectionForm
    success_message = "异议已登记，请在报送备案前处理"

    def perform(self, obj, *, reason=""):
        data = self.cleaned(results=selectors.publicity_passed(plan=obj))
        return services.objection_record(actor=self.request.user, **data)


class FilingSendView(_PublicityPost):
    success_message = "已报送备案，等待人社部门审核"

    def perform(self, obj, *, reason=""):
        return services.filing_send(actor=self.request.user, plan=obj)


class ObjectionResolveView(_PublicityPost):
    object_getter = selectors.objection_get
    form_class = ResolveForm
    success_message = "异议已处理：{obj.get_status_display}"

    def plan_pk(self) -> int:
        return self.object.publicity.plan_id

    def perform(self, obj, *, reason=""):
        return services.objection_resolve(actor=self.request.user, objection=obj, **self.cleaned())


class ObjectionListView(ListPageView):
    title = "异议"
    active_menu = PUBLICITY_MENU
    permission_required = VIEW_PUBLICITY
    listing = OBJECTIONS
    empty_text = "暂无异议"


def public_publicity(request):
    """评后公示 (public, no login): the passed lists under way — name, employer, title and
    specialty, never a 证件号码."""
    lists = [
        (publicity, selectors.publicity_passed(plan=publicity.plan))
        for publicity in selectors.public_publicities()
    ]
    return render(request, "filings/public.html", {"title": "职称评审结果公示", "lists": lists})


# --- 1.15 职称评审结果备案 ----------------------------------------------------------------------


class FilingListView(ListPageView):
    title = "职称评审结果备案"
    active_menu = FILING_MENU
    permission_required = VIEW_FILING
    listing = FILINGS
    row_actions = (FILING_REVIEW, FILING_DETAIL, FILING_ATTACHMENTS)
    empty_text = "暂无报送备案的评审结果。评委会公示结束后报送，待备案的方案会出现在这里。"


class FilingDetailView(DetailPageView):
    """查看详细: the list of who passed 公示 (granted the title once filed), the removed ones,
    and 查看附件 (the plan's attachments, previewed in the browser)."""

    title = "职称评审结果备案 - {obj.plan}"
    active_menu = FILING_MENU
    permission_required = VIEW_FILING
    object_getter = selectors.filing_get
    template_name = "filings/filing_detail.html"
    back_url_name = "filings:filing-list"

    def get_fields(self, filing: ResultFiling):
        plan = filing.plan
        return [
            ("方案名称", plan.name),
            ("评委会", plan.committee.name),
            ("评审年度", plan.year),
            ("方案类型", plan.kind_display),
            ("备案机构", filing.filing_organization.name),
            ("报送时间", filing.sent_at),
            ("报送次数", filing.send_count),
            ("审核状态", filing.get_status_display()),
            ("审核人", filing.reviewed_by),
            ("审核时间", filing.reviewed_at),
            ("审核意见", filing.opinion),
            ("备案文号", filing.filing_number),
            ("备案时间", filing.filed_on),
        ]

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.object.plan
        context.update(
            filing=self.object,
            results=selectors.publicity_passed(plan=plan),
            removed=selectors.publicity_removed(plan=plan),
            attachments=plan_selectors.plan_attachments(plan=plan),
            review_form=kwargs.get("review_form"),
        )
        return context


class FilingReviewView(FilingDetailView):
    """审核: the list of who passed 公示 (queried automatically), then 审核结果, 审核意见, 备案文号,
    备案时间 → 保存."""

    title = "审核 - {obj.plan}"
    permission_required = (VIEW_FILING, services.REVIEW)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.object.status == FilingStatus.PENDING:
            context["review_form"] = kwargs.get("review_form") or FilingReviewForm(
                user=self.request.user
            )
        return context

    def post(self, request, *args, **kwargs):
        form = FilingReviewForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                filing = services.filing_review(
                    actor=request.user, filing=self.object, **form.cleaned_data
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"“{filing.plan}”{filing.get_status_display()}")
                return HttpResponseRedirect(reverse("filings:filing-list"))
        return self.render_to_response(self.get_context_data(review_form=form))


class ResultListView(ListPageView):
    """评审结果: the filed results of the people in the user's scope (an employer's own staff)."""

    title = "评审结果"
    active_menu = "x.results"
    permission_required = "applications.view_application"
    listing = RESULTS
    empty_text = "暂无已备案的评审结果"
