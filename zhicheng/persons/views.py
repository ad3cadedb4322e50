from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.generic import FormView

from zhicheng.applications import selectors as application_selectors
from zhicheng.certificates import selectors as certificate_selectors
from zhicheng.common.errors import ApplicationError
from zhicheng.common.ratelimit import REGISTER_TOO_MANY, rate_limited
from zhicheng.filings import selectors as filing_selectors
from zhicheng.persons import selectors, services
from zhicheng.persons.forms import PasswordResetForm, RegisterForm

TOO_MANY_RESETS = "重置密码尝试过于频繁，请稍后再试"


class RegisterView(FormView):
    """申报人注册 (public). CSRF-protected like every form; attempts per client address are
    limited (``settings.ZHICHENG_RATE_LIMITS["register"]``)."""

    template_name = "persons/register.html"
    form_class = RegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("web:home")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if rate_limited(request, "register"):
            form = self.get_form()
            form.add_error(None, REGISTER_TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            person = services.applicant_register(
                name=data["name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
                password=data["password1"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        login(self.request, person.user, backend="zhicheng.accounts.authz_cache.CachedModelBackend")
        messages.success(self.request, "注册成功。今后请使用身份证号和密码登录。")
        return redirect("persons:workspace")


class PasswordResetView(FormView):
    """忘记密码 (public, 申报人): 身份证号 + 注册手机号 → a new password. Attempts per client
    address are limited (``settings.ZHICHENG_RATE_LIMITS["password_reset"]``)."""

    template_name = "persons/password_reset.html"
    form_class = PasswordResetForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("web:home")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if rate_limited(request, "password_reset"):
            form = self.get_form()
            form.add_error(None, TOO_MANY_RESETS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.applicant_password_reset(
                id_number=data["id_number"], mobile=data["mobile"], password=data["password1"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, "密码已重置，请使用新密码登录。")
        return redirect("accounts:login")


@login_required
def workspace(request):
    """我的申报: the applicant's own data, applications, certificates and messages."""
    if not request.user.is_applicant:
        return redirect("web:home")
    person = selectors.person_for_user(request.user)
    certificates = certificate_selectors.holder_certificates(user=request.user)
    return render(
        request,
        "persons/workspace.html",
        {
            "person": person,
            "id_number": person.id_number_for(request.user) if person else "",
            "certificates": certificates,
            "messages_for_me": _message_feed(request.user, certificates),
            "evaluation_results": filing_selectors.applicant_results(user=request.user),
        },
    )


def _message_feed(user, certificates) -> list[dict]:
    """消息: the officers' steps on the applications and the certificates issued or revoked,
    newest first."""
    feed = [
        {"kind": "review", "created_at": record.created_at, "record": record}
        for record in application_selectors.applicant_messages(user=user)
    ]
    feed += [
        {"kind": event.kind, "created_at": event.created_at, "certificate": event.certificate}
        for event in certificate_selectors.holder_certificate_events(certificates)
    ]
    return sorted(feed, key=lambda item: item["created_at"], reverse=True)
