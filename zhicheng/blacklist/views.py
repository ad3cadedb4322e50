"""黑名单管理 pages (guide 1.21): 查询 + 导出, 新增, 修改, 详情, 解除."""

from django.urls import reverse
from django.utils import timezone

from zhicheng.blacklist import selectors, services
from zhicheng.blacklist.forms import BlacklistEntryCreateForm, BlacklistEntryForm
from zhicheng.blacklist.listings import BLACKLIST
from zhicheng.blacklist.models import BlacklistEntry, BlacklistState
from zhicheng.certificates.services import fraud
from zhicheng.persons.services import id_number_reveal
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView

MENU = "1.21"
LIST = "blacklist:entry-list"

DETAIL = RowAction("详情", "blacklist:entry-detail", "blacklist.view_blacklistentry")
EDIT = RowAction(
    "修改",
    "blacklist:entry-update",
    "blacklist.change_blacklistentry",
    visible=lambda e: not e.is_lifted,
)
LIFT = RowAction(
    "解除",
    "blacklist:entry-lift",
    "blacklist.lift_blacklistentry",
    method="post",
    confirm="确定解除“{obj.person.name}”的黑名单吗？解除后该记录保留为历史。",
    reason="解除原因",
    style="danger",
    visible=lambda e: e.state in (BlacklistState.IN_FORCE, BlacklistState.PENDING),
)


class BlacklistListView(ListPageView):
    title = "黑名单管理"
    active_menu = MENU
    permission_required = "blacklist.view_blacklistentry"
    listing = BLACKLIST
    row_actions = (DETAIL, EDIT, LIFT)
    create_url_name = "blacklist:entry-create"
    create_permission = "blacklist.add_blacklistentry"
    empty_text = "没有符合条件的黑名单记录"

    def build_rows(self, objects):
        objects = list(objects)
        for entry in objects:
            entry.id_number_display = entry.person.masked_id_number  # lists: always masked
        return super().build_rows(objects)


class BlacklistCreateView(FormPageView):
    title = "新增黑名单"
    active_menu = MENU
    permission_required = "blacklist.add_blacklistentry"
    form_class = BlacklistEntryCreateForm
    template_name = "blacklist/entry_form.html"
    success_message = "已将“{obj.person.name}”列入黑名单"
    cancel_url_name = LIST

    def get_initial(self):
        return {"start_date": timezone.localdate()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        if data.pop("revoke_titles", False):
            # 提供虚假材料: 列入黑名单 and 撤销 the titles and certificates, one action.
            outcome = fraud.blacklist_and_revoke(actor=self.request.user, revoke=True, **data)
            self.success_message = outcome.message.replace("{", "{{").replace("}", "}}")
            return outcome.entry
        return services.blacklist_entry_create(actor=self.request.user, **data)

    def get_success_url(self, obj=None) -> str:
        return reverse("blacklist:entry-detail", args=[obj.pk])


class BlacklistUpdateView(FormPageView):
    title = "修改黑名单 - {obj.person.name}"
    active_menu = MENU
    permission_required = "blacklist.change_blacklistentry"
    object_getter = selectors.blacklist_entry_get
    form_class = BlacklistEntryForm
    template_name = "blacklist/entry_form.html"
    success_message = "“{obj.person.name}”的黑名单信息已保存"
    cancel_url_name = LIST

    def get_initial(self):
        e = self.object
        return {
            f: getattr(e, f)
            for f in ("reason", "document_number", "start_date", "end_date", "notes")
        }

    def perform(self, form):
        return services.blacklist_entry_update(
            actor=self.request.user, entry=self.object, **form.cleaned_data
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("blacklist:entry-detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person_id_number"] = self.object.person.masked_id_number  # whole on 详情 only
        return context


class BlacklistDetailView(DetailPageView):
    title = "黑名单详情 - {obj.person.name}"
    active_menu = MENU
    permission_required = "blacklist.view_blacklistentry"
    object_getter = selectors.blacklist_entry_get
    template_name = "blacklist/entry_detail.html"
    actions = (EDIT, LIFT)
    back_url_name = LIST

    def get_fields(self, e: BlacklistEntry):
        person = e.person
        fields = [
            ("姓名", person.name),
            (
                person.get_id_type_display(),
                id_number_reveal(viewer=self.request.user, person=person),
            ),
            ("性别", person.get_gender_display()),
            ("工作单位", person.organization.name if person.organization_id else ""),
            ("原因类别", e.get_reason_display()),
            ("依据文号", e.document_number),
            ("开始日期", e.start_date),
            ("结束日期", e.end_date),
            ("状态", e.state_display),
            ("备注", e.notes),
            ("列入单位", e.organization.name),
            ("录入人", str(e.created_by)),
            ("录入时间", e.created_at),
            ("修改时间", e.updated_at),
        ]
        if e.is_lifted:
            fields += [
                ("解除原因", e.lift_reason),
                ("解除人", str(e.lifted_by) if e.lifted_by_id else ""),
                ("解除时间", e.lifted_at),
            ]
        return fields

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.blacklist_entries_of_person(
            user=self.request.user, person_id=self.object.person_id
        ).exclude(pk=self.object.pk)
        return context


class BlacklistLiftView(ObjectActionView):
    permission_required = "blacklist.lift_blacklistentry"
    object_getter = selectors.blacklist_entry_get
    require_reason = True
    reason_label = "解除原因"
    success_message = "已解除“{obj.person.name}”的黑名单"
    success_url_name = LIST

    def perform(self, obj, *, reason=""):
        return services.blacklist_entry_lift(actor=self.request.user, entry=obj, reason=reason)
