"""专家库 pages (查询 + 导出 + 导入, 新增, 修改, 详情, 出库/入库, 重置密码) and the panel of a plan
(评审专家抽取: 抽取专家 / 重新抽取, the seed and the panel)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from zhicheng.common.redirects import safe_target
from zhicheng.experts import selectors, services
from zhicheng.experts.forms import ExpertCreateForm, ExpertForm
from zhicheng.experts.listings import EXPERTS, PANEL
from zhicheng.experts.models import Expert
from zhicheng.experts.tabular import IMPORT_KEY
from zhicheng.persons.services import id_number_reveal
from zhicheng.plans import selectors as plan_selectors
from zhicheng.plans.models import EvaluationPlan, PlanStatus
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU = "x.experts"
LIST = "experts:expert-list"

DETAIL = RowAction("详情", "experts:expert-detail", "experts.view_expert")
EDIT = RowAction("修改", "experts:expert-update", "experts.change_expert")
LEAVE = RowAction(
    "出库",
    "experts:expert-leave",
    "experts.leave_expert",
    method="post",
    confirm="确定将专家“{obj.person.name}”出库吗？出库后不再参加抽取。",
    reason="出库原因",
    style="danger",
    visible=lambda e: e.is_in_pool,
)
RETURN = RowAction(
    "重新入库",
    "experts:expert-return",
    "experts.leave_expert",
    method="post",
    confirm="确定将专家“{obj.person.name}”重新入库吗？",
    visible=lambda e: not e.is_in_pool,
)
RESET = RowAction(
    "重置密码",
    "experts:expert-reset-password",
    "experts.change_expert",
    method="post",
    confirm="确定重置专家“{obj.person.name}”的账号密码吗？新密码仅显示一次。",
)


class ExpertListView(ListPageView):
    title = "专家库"
    active_menu = MENU
    permission_required = "experts.view_expert"
    listing = EXPERTS
    row_actions = (DETAIL, EDIT, LEAVE, RETURN)
    create_url_name = "experts:expert-create"
    create_permission = "experts.add_expert"
    import_key = IMPORT_KEY
    empty_text = "没有符合条件的专家"


class ExpertCreateView(FormPageView):
    title = "新增专家"
    active_menu = MENU
    permission_required = "experts.add_expert"
    form_class = ExpertCreateForm
    success_message = "专家“{obj.person.name}”已入库"
    cancel_url_name = LIST

    def get_initial(self):
        today = timezone.localdate()
        return {"term_start": today, "term_end": today.replace(year=today.year + 3)}

    def perform(self, form):
        data = dict(form.cleaned_data)
        added = services.expert_add(actor=self.request.user, **data)
        if added.initial_password:
            messages.info(
                self.request,
                f"专家账号 {added.username} 的初始密码：{added.initial_password}"
                "（仅显示一次，请转交专家，首次登录须修改）",
            )
        else:
            messages.info(self.request, f"该人员已有专家账号 {added.username}，沿用原账号")
        return added.expert

    def get_success_url(self, obj=None) -> str:
        return reverse("experts:expert-detail", args=[obj.pk])


class ExpertUpdateView(FormPageView):
    title = "修改专家 - {obj.person.name}"
    active_menu = MENU
    permission_required = "experts.change_expert"
    object_getter = selectors.expert_get
    form_class = ExpertForm
    success_message = "专家“{obj.person.name}”的信息已保存"
    cancel_url_name = LIST

    def get_initial(self):
        e = self.object
        return {
            "series": e.series_id,
            "specialty": e.specialty_id,
            "level": e.level,
            "employer": e.employer.name,
            "term_start": e.term_start,
            "term_end": e.term_end,
        }

    def perform(self, form):
        return services.expert_update(
            actor=self.request.user, expert=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("experts:expert-detail", args=[obj.pk])


class ExpertDetailView(DetailPageView):
    title = "专家详情 - {obj.person.name}"
    active_menu = MENU
    permission_required = "experts.view_expert"
    object_getter = selectors.expert_get
    actions = (EDIT, LEAVE, RETURN, RESET)
    back_url_name = LIST

    def get_fields(self, e: Expert):
        person = e.person
        fields = [
            ("姓名", person.name),
            (
                person.get_id_type_display(),
                id_number_reveal(viewer=self.request.user, person=person),
            ),
            ("手机号", person.mobile),
            ("专家账号", e.account.username),
            ("所属评委会", e.committee.name),
            ("职称系列", e.series.name),
            ("专业", e.specialty.name),
            ("职称级别", e.get_level_display()),
            ("工作单位", e.employer.name),
            ("聘任期", e.term_display),
            ("状态", e.get_status_display()),
        ]
        if not e.is_in_pool:
            fields += [("出库原因", e.leave_reason), ("出库时间", e.left_at)]
        fields += [("录入人", str(e.created_by)), ("录入时间", e.created_at)]
        return fields


class ExpertLeaveView(ObjectActionView):
    permission_required = "experts.leave_expert"
    object_getter = selectors.expert_get
    require_reason = True
    reason_label = "出库原因"
    success_message = "专家“{obj.person.name}”已出库"
    success_url_name = LIST

    def perform(self, obj, *, reason=""):
        return services.expert_leave(actor=self.request.user, expert=obj, reason=reason)


class ExpertReturnView(ObjectActionView):
    permission_required = "experts.leave_expert"
    object_getter = selectors.expert_get
    success_message = "专家“{obj.person.name}”已重新入库"
    success_url_name = LIST

    def perform(self, obj, *, reason=""):
        return services.expert_return(actor=self.request.user, expert=obj)


class ExpertResetPasswordView(ObjectActionView):
    permission_required = "experts.change_expert"
    object_getter = selectors.expert_get
    success_message = ""
    success_url_name = LIST

    def perform(self, obj, *, reason=""):
        password = services.expert_account_reset_password(actor=self.request.user, expert=obj)
        messages.success(
            self.request,
            f"专家账号 {obj.account.username} 的新密码：{password}（仅显示一次，首次登录须修改）",
        )
        return HttpResponseRedirect(reverse("experts:expert-detail", args=[obj.pk]))


# --- the panel of a plan ---------------------------------------------------------------------


def panel_context(request, plan: EvaluationPlan, *, next_url: str) -> dict:
    """What ``experts/_panel_section.html`` shows of ``plan`` (one ``request.user`` may read)."""
    user = request.user
    draw = selectors.panel_current_draw(plan=plan)
    return {
        "plan": plan,
        "draw": draw,
        "members": selectors.panel_members(draw=draw),
        "draws": selectors.panel_draws(user=user, plan=plan),
        "may_draw": (
            user.has_perm("experts.draw_panel")
            and user.is_committee
            and plan.status == PlanStatus.APPROVED
        ),
        "next_url": next_url,
        # 导出: this panel through the shared Excel engine (the query names the plan).
        "export_url": reverse("tabular:export", args=[PANEL.name]),
        "export_query": urlencode({"plan": plan.pk}),
    }


class PlanPanelView(DetailPageView):
    """评审专家抽取 of one plan: its 专家需求, then the panel section."""

    title = "评审专家抽取 - {obj}"
    # Under /experts/: the menu marks 专家库 (one entry is ever active).
    active_menu = MENU
    permission_required = "experts.view_paneldraw"
    object_getter = plan_selectors.plan_get
    template_name = "experts/plan_panel.html"

    def get_fields(self, plan: EvaluationPlan):
        return [
            ("方案名称", plan.name),
            ("评委会", plan.committee.name),
            ("状态", plan.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context.update(
            panel_context(self.request, plan, next_url=self.request.path),
            requirements=plan_selectors.plan_experts(plan=plan),
        )
        return context


class PlanPanelSectionView(DetailPageView):
    """The panel section alone, loaded (HTMX) into the plan's detail page; a draw from there
    comes back to it."""

    permission_required = "experts.view_paneldraw"
    object_getter = plan_selectors.plan_get
    template_name = "experts/_panel_section.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        detail = reverse("plans:plan-detail", args=[self.object.pk]) + "#panel"
        context.update(panel_context(self.request, self.object, next_url=detail))
        return context


class PanelDrawView(ObjectActionView):
    permission_required = "experts.draw_panel"
    object_getter = plan_selectors.plan_get
    success_message = "已抽取评审专家（第{obj.number}次，种子 {obj.seed}）"

    def perform(self, obj, *, reason=""):
        return services.panel_draw(actor=self.request.user, plan=obj, reason=reason)

    def redirect_back(self):
        default = reverse("experts:plan-panel", args=[self.object.pk])
        return HttpResponseRedirect(
            safe_target(self.request, self.request.POST.get("next", ""), default)
        )
