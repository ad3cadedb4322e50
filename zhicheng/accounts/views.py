from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers

from zhicheng.accounts import selectors, services
from zhicheng.accounts.forms import UserCreateForm, UserForm
from zhicheng.accounts.listings import USERS
from zhicheng.accounts.models import User
from zhicheng.common.validators import id_numbers_for
from zhicheng.units import selectors as unit_selectors
from zhicheng.web.views_list import ListPageView, RowAction
from zhicheng.web.views_pages import DetailPageView, FormPageView, ObjectActionView


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # A unit's login waiting for (or refused by) its 主管单位 is told so, not "wrong
        # password" — only when the password is right (units.selectors).
        state = unit_selectors.registration_state_for_login(
            form.data.get("username", ""), form.data.get("password", "")
        )
        return self.render_to_response(self.get_context_data(form=form, unit_state=state))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def get_context_data(self, **kwargs):
        # The validators' rules as plain texts (escaped), not Django's ready-made HTML list.
        return {
            **super().get_context_data(**kwargs),
            "password_rules": password_validation.password_validators_help_texts(),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)
        messages.success(self.request, "密码修改成功")
        return response


def lockout_response(request, credentials, *args, **kwargs):
    return render(
        request,
        "accounts/login.html",
        {"locked_out": True, "form": None},
        status=429,
    )


# --- 用户管理 (系统管理员) ------------------------------------------------------------------------

MENU = "sys.users"
MANAGE = "accounts.manage_users"

DETAIL = RowAction("详情", "accounts:user-detail", MANAGE)
EDIT = RowAction("编辑", "accounts:user-update", MANAGE)
DEACTIVATE = RowAction(
    "停用",
    "accounts:user-toggle-active",
    MANAGE,
    method="post",
    confirm="确定停用用户“{obj.username}”吗？停用后该用户不能登录。",
    style="danger",
    visible=lambda u: u.is_active,
    params=(("is_active", "0"),),
)
ACTIVATE = RowAction(
    "启用",
    "accounts:user-toggle-active",
    MANAGE,
    method="post",
    confirm="确定启用用户“{obj.username}”吗？",
    style="success",
    visible=lambda u: not u.is_active,
    params=(("is_active", "1"),),
)
RESET_PASSWORD = RowAction(
    "重置密码",
    "accounts:user-reset-password",
    MANAGE,
    method="post",
    confirm="确定重置用户“{obj.username}”的密码吗？将生成新的初始密码，该用户下次登录须修改密码。",
    style="warning",
)


def _password_page(request, user: User, password: str, *, created: bool):
    """The one page that shows a generated password; never cached, never stored."""
    response = render(
        request,
        "accounts/user_password.html",
        {
            "title": "新增用户" if created else "重置密码",
            "active_menu": MENU,
            "target": user,
            "target_username": id_numbers_for(request.user, user.username),
            "password": password,
            "created": created,
        },
    )
    add_never_cache_headers(response)
    return response


class UserListView(ListPageView):
    title = "用户管理"
    active_menu = MENU
    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    listing = USERS
    export_key = ""  # no export
    row_actions = (DETAIL, EDIT, DEACTIVATE, ACTIVATE, RESET_PASSWORD)
    create_url_name = "accounts:user-create"
    create_permission = MANAGE


class UserCreateView(FormPageView):
    title = "新增用户"
    active_menu = MENU
    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    form_class = UserCreateForm
    cancel_url_name = "accounts:user-list"

    def perform(self, form):
        data = form.cleaned_data
        user, password = services.user_create(
            actor=self.request.user,
            username=data["username"],
            real_name=data["real_name"],
            phone=data["phone"],
            organization=data["organization"],
            roles=data["roles"],
            must_change_password=True,
        )
        messages.success(self.request, self.shown(f"用户“{user.username}”已新增"))
        return _password_page(self.request, user, password, created=True)


class UserUpdateView(FormPageView):
    title = "编辑用户 - {obj.username}"
    active_menu = MENU
    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    object_getter = selectors.user_get
    form_class = UserForm
    success_message = "用户“{obj.username}”已保存"
    cancel_url_name = "accounts:user-list"

    def get_initial(self):
        user = self.object
        return {
            "real_name": user.real_name,
            "phone": user.phone,
            "organization": user.organization,
            "roles": sorted(user.role_codes),
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.user_update(
            actor=self.request.user,
            user=self.object,
            real_name=data["real_name"],
            phone=data["phone"],
            organization=data["organization"],
            roles=data["roles"],
        )

    def get_success_url(self, obj=None) -> str:
        return reverse("accounts:user-detail", args=[obj.pk])


class UserDetailView(DetailPageView):
    title = "用户详情 - {obj.username}"
    active_menu = MENU
    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    object_getter = selectors.user_get
    actions = (EDIT, DEACTIVATE, ACTIVATE, RESET_PASSWORD)
    back_url_name = "accounts:user-list"

    def get_fields(self, user: User):
        return [
            ("用户名", user.username),
            ("姓名", user.real_name),
            ("手机号", user.phone),
            ("所属机构", user.organization),
            ("角色", "、".join(user.role_labels)),
            ("状态", "启用" if user.is_active else "停用"),
            ("首次登录须修改密码", "是" if user.must_change_password else "否"),
            ("最近登录", user.last_login),
            ("创建时间", user.date_joined),
        ]


class UserToggleActiveView(ObjectActionView):
    """停用 / 启用: posts ``is_active`` = 0 / 1 (without it, flips the current state)."""

    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    object_getter = selectors.user_get
    success_url_name = "accounts:user-list"

    def perform(self, obj, *, reason=""):
        wanted = self.request.POST.get("is_active")
        is_active = (wanted == "1") if wanted in ("0", "1") else not obj.is_active
        user = services.user_set_active(actor=self.request.user, user=obj, is_active=is_active)
        self.success_message = f"用户“{{obj.username}}”已{'启用' if is_active else '停用'}"
        return user


class UserResetPasswordView(ObjectActionView):
    permission_required = MANAGE
    mask_id_numbers = True  # applicants' user names are 身份证号
    object_getter = selectors.user_get
    success_url_name = "accounts:user-list"

    def perform(self, obj, *, reason=""):
        password = services.user_reset_password(actor=self.request.user, user=obj)
        messages.success(self.request, self.shown(f"用户“{obj.username}”的密码已重置"))
        return _password_page(self.request, obj, password, created=False)
