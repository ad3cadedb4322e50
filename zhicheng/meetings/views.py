"""评审会议 pages (issue 12): the committee's 评审会议 page of a plan (开始, 登记到会, 结束前检查,
结束 with confirmation, 评审结果 with 导出); 评审会议结果 (the list of every closed meeting's results); the expert's 我的评审 (their plans' participants,
the application and its 电子档案 inline, the 打分细则 form and the vote — read-only after
closing); 通过率上限 (HR officers set, committees read)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhicheng.applications import selectors as application_selectors
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.query import id_or_none
from zhicheng.common.scoping import get_or_404
from zhicheng.meetings import selectors, services
from zhicheng.meetings.listings import MEETING_RESULTS, PASS_RATE_CAPS
from zhicheng.meetings.models import CapLevel, Meeting, MeetingStatus, VoteChoice
from zhicheng.plans import selectors as plan_selectors
from zhicheng.plans.models import EvaluationPlan
from zhicheng.web.forms import BaseForm, apply_bootstrap
from zhicheng.web.views_list import ListPageView
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView, _PageMixin

REVIEWS_MENU = "x.reviews"
CAPS_MENU = "x.pass-rate-caps"
PLANS_MENU = "1.23"
RESULTS_MENU = "x.meeting-results"


def _meeting_of(plan: EvaluationPlan) -> Meeting:
    return selectors.plan_meeting(plan) or Meeting(plan=plan)


class MeetingView(DetailPageView):
    """评审会议 of one plan, for its committee."""

    title = "评审会议 - {obj}"
    active_menu = PLANS_MENU
    permission_required = "meetings.view_meeting"
    object_getter = plan_selectors.plan_get
    template_name = "meetings/meeting.html"

    def get_fields(self, plan: EvaluationPlan):
        meeting = _meeting_of(plan)
        return [
            ("方案名称", plan.name),
            ("评审年度", plan.year),
            ("会议状态", meeting.get_status_display()),
            ("法定到会比例", plan.committee.quorum_display),
            ("通过所需同意票比例", plan.committee.pass_fraction_display),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        meeting = _meeting_of(plan)
        draw = selectors.panel_draw_of(plan)
        attendance = {
            a.expert_id: a
            for a in selectors.attendance_list(meeting=meeting if meeting.pk else None)
        }
        members = list(
            draw.members.select_related("expert__person", "expert__employer").order_by("order")
            if draw
            else []
        )
        context.update(
            plan=plan,
            meeting=meeting,
            draw=draw,
            panel=[(m, attendance.get(m.expert_id)) for m in members],
            check=selectors.close_check(meeting) if meeting.status == MeetingStatus.OPEN else None,
            results=selectors.meeting_results(meeting=meeting if meeting.pk else None),
            may_run=self.request.user.has_perm("meetings.run_meeting"),
            # 导出: the 评审会议结果 list of this plan, through the shared Excel engine.
            export_url=reverse("tabular:export", args=[MEETING_RESULTS.name]),
            export_query=urlencode({"plan": plan.pk}),
        )
        return context


class _MeetingAction(ObjectActionView):
    permission_required = "meetings.run_meeting"
    object_getter = plan_selectors.plan_get

    def redirect_back(self):
        return HttpResponseRedirect(reverse("meetings:meeting", args=[self.object.pk]))


class MeetingOpenView(_MeetingAction):
    success_message = "评审会议已开始"

    def perform(self, obj, *, reason=""):
        services.meeting_open(actor=self.request.user, plan=obj)


class MeetingAttendanceView(_MeetingAction):
    success_message = "到会情况已登记"

    def perform(self, obj, *, reason=""):
        present = [id_or_none(raw) for raw in self.request.POST.getlist("present")]
        if None in present:  # not an id at all, e.g. 2**70: no query is made with it
            raise ApplicationError("到会专家有误")
        services.attendance_record(actor=self.request.user, plan=obj, present=present)


class MeetingCloseView(_MeetingAction):
    success_message = "评审会议已结束，评审结果已生成"

    def perform(self, obj, *, reason=""):
        services.meeting_close(actor=self.request.user, plan=obj)


class MeetingResultListView(ListPageView):
    """评审会议结果: the closed meetings' results of the committee's plans (scores and tallies,
    never a vote), with 导出 through the shared Excel engine; ``?plan=`` narrows to one plan."""

    title = "评审会议结果"
    active_menu = RESULTS_MENU
    permission_required = "meetings.view_meeting"
    listing = MEETING_RESULTS
    empty_text = "暂无已结束评审会议的评审结果"

    def get_filters(self, form):
        filters = super().get_filters(form)
        # ?plan= (the link from a meeting's page) is no field of the query form; it narrows the
        # list, and with it the 导出 that posts the page's query.
        plan = MEETING_RESULTS.filters_from(self.request.GET).get("plan")
        if plan is not None:
            filters["plan"] = plan
        return filters


# --- 我的评审 (experts) ----------------------------------------------------------------------


class ReviewListView(_PageMixin, TemplateView):
    title = "我的评审"
    active_menu = REVIEWS_MENU
    permission_required = "meetings.add_vote"
    template_name = "meetings/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plans = []
        for plan in selectors.expert_plans(user=user):
            expert = selectors.expert_entry(user=user, plan=plan)
            votes = selectors.expert_votes(expert=expert, plan=plan) if expert else {}
            participants = plan.participants.select_related(
                "application__person", "application__employer", "application__specialty",
                "application__title",
            ).order_by("application__person__name", "pk")  # fmt: skip
            meeting = _meeting_of(plan)
            plans.append(
                {
                    "plan": plan,
                    "meeting": meeting,
                    "rows": [
                        (p, VoteChoice(votes[p.pk]).label if p.pk in votes else "")
                        for p in participants
                    ],
                }
            )
        context.update(self.page_context(), plans=plans)
        return context


def _review_participant(user, pk):
    return get_or_404(
        selectors.expert_participants(user=user).select_related(
            "plan__committee", "application__person", "application__employer",
            "application__specialty", "application__title",
        ),
        pk,
    )  # fmt: skip


class ScoreForm(BaseForm):
    def __init__(self, *args, items=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.name}（满分 {item.max_score}）",
                min_value=0,
                max_value=item.max_score,
                decimal_places=2,
                required=True,
                help_text=item.description,
                initial=(initial_scores or {}).get(item.pk),
            )
        apply_bootstrap(self)


class ReviewDetailView(_PageMixin, TemplateView):
    title = "评审 - {obj.application.person.name}"
    active_menu = REVIEWS_MENU
    permission_required = "meetings.add_vote"
    template_name = "meetings/review_detail.html"

    def get_object(self):
        return _review_participant(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participant = self.object
        plan = participant.plan
        expert = selectors.expert_entry(user=self.request.user, plan=plan)
        meeting = _meeting_of(plan)
        items = list(plan.scoring.order_by("pk"))
        scores = selectors.expert_scores(expert=expert, participant=participant)
        vote = selectors.expert_votes(expert=expert, plan=plan).get(participant.pk)
        context.update(
            self.page_context(),
            participant=participant,
            application=participant.application,
            plan=plan,
            meeting=meeting,
            is_open=meeting.status == MeetingStatus.OPEN,
            recusal=selectors.recusal_reason(expert, participant),
            items=[(item, scores.get(item.pk)) for item in items],
            total=sum(scores.values()) if scores else None,
            form=kwargs.get("form") or ScoreForm(items=items, initial_scores=scores),
            vote=vote,
            vote_display=VoteChoice(vote).label if vote else "",
            choices=VoteChoice.choices,
            attachments=application_selectors.attachment_list(application=participant.application),
        )
        return context


class ReviewScoreView(ReviewDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        participant = self.object
        items = list(participant.plan.scoring.order_by("pk"))
        form = ScoreForm(request.POST, items=items)
        if form.is_valid():
            try:
                services.score_record(
                    actor=request.user,
                    participant=participant,
                    scores={item.pk: form.cleaned_data[f"item_{item.pk}"] for item in items},
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "打分已保存")
                return HttpResponseRedirect(reverse("meetings:review", args=[pk]))
        else:
            messages.error(request, "打分有误，请检查")
        return self.render_to_response(self.get_context_data(form=form))


class ReviewVoteView(_PageMixin, View):
    http_method_names = ["post"]
    permission_required = "meetings.add_vote"

    def get_object(self):
        return _review_participant(self.request.user, self.kwargs["pk"])

    def post(self, request, pk):
        try:
            services.vote_cast(
                actor=request.user, participant=self.object, choice=request.POST.get("choice", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "表决已提交")
        return HttpResponseRedirect(reverse("meetings:review", args=[pk]))


class ReviewAttachmentView(_PageMixin, View):
    """An attachment of a participant the expert reviews, inline (404 otherwise)."""

    permission_required = "meetings.add_vote"

    def get(self, request, pk, attachment_pk):
        participant = _review_participant(request.user, pk)
        attachment = (
            application_selectors.attachment_list(application=participant.application)
            .filter(pk=attachment_pk)
            .first()
        )
        if attachment is None:
            raise Http404("记录不存在或无权访问")
        return attachment_response(attachment)


# --- 通过率上限 ------------------------------------------------------------------------------


class CapListView(_PageMixin, TemplateView):
    title = "通过率上限"
    active_menu = CAPS_MENU
    permission_required = "meetings.view_passratecap"
    template_name = "meetings/caps.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            self.page_context(),
            caps=selectors.pass_rate_caps(user=self.request.user),
            may_set=self.request.user.has_perm("meetings.change_passratecap"),
            # 导出: the same rows through the shared Excel engine (the list has no query form).
            export_url=reverse("tabular:export", args=[PASS_RATE_CAPS.name]),
        )
        return context


class CapForm(BaseForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="职称级别", choices=[("", "请选择"), *CapLevel.choices])
    max_percent = forms.IntegerField(
        label="通过率上限（%）",
        min_value=1,
        max_value=100,
        help_text="参评人员中该级别最多通过的比例；未设置时正高级 40%，副高级 55%",
    )


class CapSetView(FormPageView):
    title = "设置通过率上限"
    active_menu = CAPS_MENU
    permission_required = "meetings.change_passratecap"
    form_class = CapForm
    success_message = "通过率上限已保存"
    cancel_url_name = "meetings:caps"
    success_url_name = "meetings:caps"

    def perform(self, form):
        if not self.request.user.has_perm("meetings.change_passratecap"):
            raise PermissionDenied
        return services.pass_rate_cap_set(actor=self.request.user, **form.cleaned_data)
