"""Pages of the 个人业绩库 (the applicant's own: list, 新增, 修改, 删除 with a confirmation,
证明材料), the ticking of entries into one application with its 申报材料清单, and the HR
officers' 申报材料清单 (list, 制定, 修改, 删除, 添加/删除材料, 导出)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhicheng.applications import selectors as application_selectors
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import attachment_response
from zhicheng.common.query import id_or_none
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import (
    DetailPageView,
    FormPageView,
    ObjectActionView,
    add_service_error,
)

from . import selectors, services
from .forms import AchievementForm, ChecklistForm, ChecklistItemForm, ProofForm
from .listings import ACHIEVEMENTS, CHECKLISTS
from .models import Achievement, MaterialChecklist

APPLY = "applications.apply_application"
MENU_LIBRARY = "x.achievements"
MENU_CHECKLISTS = "x.checklists"
VIEW_CHECKLIST = "achievements.view_materialchecklist"
CHANGE_CHECKLIST = "achievements.change_materialchecklist"

# --- 个人业绩库 -------------------------------------------------------------------------------

DETAIL = RowAction("证明材料", "achievements:achievement-detail", APPLY)
EDIT = RowAction("修改", "achievements:achievement-update", APPLY)
DELETE = RowAction(
    "删除",
    "achievements:achievement-delete",
    APPLY,
    method="post",
    confirm="确定删除业绩“{obj}”及其证明材料吗？已勾选入草稿的将一并取消勾选。",
    style="danger",
)


class AchievementListView(ListPageView):
    title = "个人业绩库"
    active_menu = MENU_LIBRARY
    permission_required = APPLY
    listing = ACHIEVEMENTS
    row_actions = (DETAIL, EDIT, DELETE)
    create_url_name = "achievements:achievement-create"
    create_permission = APPLY
    create_label = "新增业绩"
    empty_text = "业绩库还是空的：新增学历、工作经历、论文等，之后每次申报勾选即可"


def _fields(entry: Achievement) -> dict:
    return {
        name: getattr(entry, name)
        for name in (
            "kind",
            "name",
            "issuer",
            "role",
            "education",
            "start_date",
            "end_date",
            "hours",
            "is_representative",
            "note",
        )
    }


class AchievementCreateView(FormPageView):
    title = "新增业绩"
    active_menu = MENU_LIBRARY
    permission_required = APPLY
    form_class = AchievementForm
    success_message = "已新增业绩“{obj}”，请上传证明材料"
    cancel_url_name = "achievements:achievement-list"

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def perform(self, form) -> Achievement:
        return services.achievement_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("achievements:achievement-detail", args=[obj.pk])


class AchievementUpdateView(FormPageView):
    title = "修改业绩 - {obj}"
    active_menu = MENU_LIBRARY
    permission_required = APPLY
    object_getter = selectors.achievement_get
    form_class = AchievementForm
    success_message = "业绩“{obj}”已保存"
    cancel_url_name = "achievements:achievement-list"

    def get_initial(self):
        return _fields(self.object)

    def perform(self, form) -> Achievement:
        return services.achievement_update(
            actor=self.request.user, achievement=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("achievements:achievement-detail", args=[obj.pk])


class AchievementDeleteView(ObjectActionView):
    permission_required = APPLY
    object_getter = selectors.achievement_get
    success_message = "业绩“{obj}”已删除"
    success_url_name = "achievements:achievement-list"

    def perform(self, obj, *, reason: str = ""):
        # Back to the list, never to the deleted entry's page the action may come from.
        services.achievement_delete(actor=self.request.user, achievement=obj)
        messages.success(self.request, f"业绩“{obj}”已删除")
        return HttpResponseRedirect(reverse("achievements:achievement-list"))


class AchievementDetailView(DetailPageView):
    """One entry with its 证明材料 (upload, preview, delete)."""

    title = "业绩 - {obj}"
    template_name = "achievements/achievement_detail.html"
    active_menu = MENU_LIBRARY
    permission_required = APPLY
    object_getter = selectors.achievement_get
    actions = (EDIT, DELETE)
    back_url_name = "achievements:achievement-list"

    def get_fields(self, entry: Achievement):
        fields = [
            ("类别", entry.get_kind_display()),
            ("名称", entry.name),
            ("单位/刊物/来源", entry.issuer),
            ("专业/岗位/排名", entry.role),
        ]
        if entry.education:
            fields.append(("学历", entry.get_education_display()))
        fields.append(("时间", entry.period_display))
        if entry.hours:
            fields.append(("学时", entry.hours))
        fields += [("代表作", "是" if entry.is_representative else "否"), ("说明", entry.note)]
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proofs=selectors.achievement_proofs(achievement=self.object),
            proof_form=kwargs.get("proof_form") or ProofForm(user=self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ProofForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                proof = services.proof_add(
                    actor=request.user, achievement=self.object, upload=form.cleaned_data["file"]
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已上传证明材料：{proof}")
                return HttpResponseRedirect(
                    reverse("achievements:achievement-detail", args=[self.object.pk])
                )
        return self.render_to_response(self.get_context_data(proof_form=form))


class ProofFileView(LoginRequiredMixin, View):
    """A proof of the applicant's own library, inline (404 for anyone else)."""

    def get(self, request, pk):
        return attachment_response(selectors.proof_get_own(user=request.user, pk=pk))


class ProofDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        proof = selectors.proof_get_own(user=request.user, pk=pk)
        back = reverse("achievements:achievement-detail", args=[proof.achievement_id])
        try:
            services.proof_delete(actor=request.user, proof=proof)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已删除证明材料：{proof}")
        return HttpResponseRedirect(back)


# --- 勾选入申报 and the checklist --------------------------------------------------------------


class ApplicationMaterialsView(LoginRequiredMixin, TemplateView):
    """本次申报的业绩: the applicant ticks library entries into the application and sees the
    申报材料清单 with ticks; others who may open the application see what was ticked."""

    template_name = "achievements/application_materials.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = application_selectors.application_get(user=request.user, pk=kwargs["pk"])
        self.is_owner = self.application.applicant_id == request.user.pk
        if not self.is_owner and self.application.status == "draft":
            raise PermissionDenied("草稿仅申报人本人可见")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app = self.application
        can_tick = self.is_owner and app.is_editable
        context.update(
            title=f"申报业绩与材料清单 - {app.person.name}",
            active_menu=MENU_LIBRARY if self.is_owner else "",
            app=app,
            can_tick=can_tick,
            library=selectors.library_for_ticking(user=self.request.user, application=app)
            if can_tick
            else [],
            ticked=selectors.application_achievements(application=app),
            check_rows=selectors.material_check(app),
        )
        return context

    def post(self, request, pk):
        ids = [i for i in (id_or_none(v) for v in request.POST.getlist("achievement")) if i]
        try:
            chosen = services.application_achievements_set(
                actor=request.user, application=self.application, achievement_ids=ids
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已保存本次申报勾选的业绩（{len(chosen)} 项）")
        return HttpResponseRedirect(reverse("achievements:application-materials", args=[pk]))


class ApplicationProofFileView(LoginRequiredMixin, View):
    """A proof of an entry ticked into an application the user may open."""

    def get(self, request, pk, proof_pk):
        app = application_selectors.application_get(user=request.user, pk=pk)
        return attachment_response(
            selectors.proof_get_for_application(user=request.user, application=app, pk=proof_pk)
        )


# --- 申报材料清单 ------------------------------------------------------------------------------


def _mark(user, checklist: MaterialChecklist) -> MaterialChecklist:
    org = user.organization
    checklist.can_change = bool(org) and checklist.organization.path.startswith(org.path)
    return checklist


def _checklist_getter(*, user, pk) -> MaterialChecklist:
    return _mark(user, selectors.checklist_get(user=user, pk=pk))


def _changeable(checklist) -> bool:
    return getattr(checklist, "can_change", False)


CHECKLIST_DETAIL = RowAction("详情", "achievements:checklist-detail", VIEW_CHECKLIST)
CHECKLIST_EDIT = RowAction(
    "修改", "achievements:checklist-update", CHANGE_CHECKLIST, visible=_changeable
)
CHECKLIST_DELETE = RowAction(
    "删除",
    "achievements:checklist-delete",
    "achievements.delete_materialchecklist",
    method="post",
    confirm="确定删除材料清单“{obj}”吗？删除后提交申报不再按此清单检查。",
    style="danger",
    visible=_changeable,
)


class ChecklistListView(ListPageView):
    title = "申报材料清单"
    active_menu = MENU_CHECKLISTS
    permission_required = VIEW_CHECKLIST
    listing = CHECKLISTS
    row_actions = (CHECKLIST_DETAIL, CHECKLIST_EDIT, CHECKLIST_DELETE)
    create_url_name = "achievements:checklist-create"
    create_permission = "achievements.add_materialchecklist"
    create_label = "制定材料清单"

    def build_rows(self, objects):
        return super().build_rows([_mark(self.request.user, c) for c in objects])


class ChecklistCreateView(FormPageView):
    title = "制定申报材料清单"
    active_menu = MENU_CHECKLISTS
    permission_required = "achievements.add_materialchecklist"
    form_class = ChecklistForm
    success_message = "已制定材料清单“{obj}”，请添加材料"
    cancel_url_name = "achievements:checklist-list"

    def perform(self, form) -> MaterialChecklist:
        return services.checklist_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj=None) -> str:
        return reverse("achievements:checklist-detail", args=[obj.pk])


class ChecklistUpdateView(FormPageView):
    title = "修改申报材料清单 - {obj}"
    active_menu = MENU_CHECKLISTS
    permission_required = CHANGE_CHECKLIST
    object_getter = _checklist_getter
    form_class = ChecklistForm
    success_message = "材料清单“{obj}”已保存"
    cancel_url_name = "achievements:checklist-list"

    def get_initial(self):
        c = self.object
        return {
            "name": c.name,
            "level": c.level,
            "acquisition_method": c.acquisition_method,
            "note": c.note,
        }

    def perform(self, form) -> MaterialChecklist:
        return services.checklist_update(
            actor=self.request.user, checklist=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("achievements:checklist-detail", args=[obj.pk])


class ChecklistDeleteView(ObjectActionView):
    permission_required = "achievements.delete_materialchecklist"
    object_getter = _checklist_getter
    success_message = "材料清单“{obj}”已删除"
    success_url_name = "achievements:checklist-list"

    def perform(self, obj, *, reason: str = ""):
        services.checklist_delete(actor=self.request.user, checklist=obj)
        messages.success(self.request, f"材料清单“{obj}”已删除")
        return HttpResponseRedirect(reverse("achievements:checklist-list"))


class ChecklistDetailView(DetailPageView):
    """A checklist with its items; its own bureau's officers add and delete items here."""

    title = "申报材料清单 - {obj}"
    template_name = "achievements/checklist_detail.html"
    active_menu = MENU_CHECKLISTS
    permission_required = VIEW_CHECKLIST
    object_getter = _checklist_getter
    actions = (CHECKLIST_EDIT, CHECKLIST_DELETE)
    back_url_name = "achievements:checklist-list"

    def get_fields(self, c: MaterialChecklist):
        return [
            ("清单名称", c.name),
            ("职称级别", c.get_level_display()),
            ("取得方式", c.get_acquisition_method_display()),
            ("制定单位", c.organization.name),
            ("制定人", c.created_by),
            ("修改时间", c.updated_at),
            ("说明", c.note),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_change = _changeable(self.object) and self.request.user.has_perm(CHANGE_CHECKLIST)
        context.update(
            items=self.object.items.all(),
            can_change=can_change,
            item_form=kwargs.get("item_form") or ChecklistItemForm(user=self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_CHECKLIST):
            raise PermissionDenied("无权修改材料清单")
        form = ChecklistItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                item = services.checklist_item_add(
                    actor=request.user, checklist=self.object, **form.cleaned_data
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已添加材料：{item}")
                return HttpResponseRedirect(
                    reverse("achievements:checklist-detail", args=[self.object.pk])
                )
        return self.render_to_response(self.get_context_data(item_form=form))


class ChecklistItemDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        if not request.user.has_perm(CHANGE_CHECKLIST):
            raise PermissionDenied("无权修改材料清单")
        checklist = selectors.checklist_get(user=request.user, pk=pk)
        item = selectors.checklist_item_get(user=request.user, checklist=checklist, pk=item_pk)
        try:
            services.checklist_item_delete(actor=request.user, item=item)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已删除材料：{item}")
        return HttpResponseRedirect(reverse("achievements:checklist-detail", args=[pk]))
