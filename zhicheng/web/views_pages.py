"""Form pages, detail pages and POST actions — the companions of ``ListPageView``.

``FormPageView`` (新增 / 编辑)::

    class OrganizationCreateView(FormPageView):
        title = "新增机构"
        active_menu = "sys.orgs"
        permission_required = "orgs.add_organization"
        form_class = OrganizationCreateForm            # a web.forms.BaseForm (gets user=)
        success_message = "机构“{obj}”已新增"
        cancel_url_name = "orgs:organization-list"

        def perform(self, form):                       # call the service; return the object
            return services.organization_create(actor=self.request.user, **form.cleaned_data)

        def get_success_url(self, obj):
            return reverse("orgs:organization-detail", args=[obj.pk])

For an edit page set ``object_getter = selectors.organization_get`` (called as
``getter(user=request.user, pk=kwargs["pk"])``, so out of scope is a 404) and use
``self.object``; ``get_initial()`` fills the form. An ``ApplicationError`` or a model
``ValidationError`` raised by the service re-renders the form with the message (field errors
go next to their field) — never a 500.

``DetailPageView`` (详情): ``object_getter``, ``get_fields(obj) -> [(label, value)]`` and
``actions`` (``RowAction``s shown as buttons); template ``web/_detail_page.html`` or one that
extends it.

``ObjectActionView`` (注销 / 删除 / 撤销 / 停用 …, POST only): ``object_getter`` and
``perform(obj, reason=...)``; success → ``messages.success`` and back to ``next`` (or
``success_url_name``); ``ApplicationError`` → ``messages.error`` and back. Set
``require_reason = True`` when the confirmation modal asks for a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from zhicheng.common.errors import ApplicationError
from zhicheng.common.redirects import safe_target
from zhicheng.web.forms import BaseForm
from zhicheng.web.views_list import BoundAction, IdNumberMaskMixin, RowAction


class _PageMixin(IdNumberMaskMixin, LoginRequiredMixin, PermissionRequiredMixin):
    title = ""
    active_menu = ""
    permission_required: str | tuple[str, ...] = ()
    object_getter: Callable[..., Any] | None = None
    object = None

    def get_permission_required(self):
        perms = self.permission_required
        return (perms,) if isinstance(perms, str) else tuple(perms)

    def get_object(self):
        getter = type(self).object_getter
        if getter is None:
            return None
        return getter(user=self.request.user, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        # Permission first (PermissionRequiredMixin), then the scoped object (404 if outside).
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            return self.handle_no_permission()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def page_context(self) -> dict[str, Any]:
        return {"title": self.get_title(), "active_menu": self.active_menu, "object": self.object}

    def get_title(self) -> str:
        return self.shown(
            self.title.format(obj=self.object) if self.object is not None else self.title
        )


def add_service_error(form, exc: Exception) -> None:
    """Put a service's ApplicationError / ValidationError onto the form."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
        return
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class FormPageView(_PageMixin, FormView):
    template_name = "web/_form_page.html"
    submit_label = "保存"
    success_message = "保存成功"
    cancel_url_name = ""
    success_url_name = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), BaseForm):
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form) -> Any:
        raise NotImplementedError

    def get_success_url(self, obj: Any = None) -> str:
        if self.success_url_name:
            return reverse(self.success_url_name)
        return super().get_success_url()

    def get_cancel_url(self) -> str:
        return reverse(self.cancel_url_name) if self.cancel_url_name else ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except (ApplicationError, ValidationError) as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        if isinstance(result, HttpResponse):
            return result
        if self.success_message:
            messages.success(self.request, self.shown(self.success_message.format(obj=result)))
        return HttpResponseRedirect(self.get_success_url(result))

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            self.page_context(), submit_label=self.submit_label, cancel_url=self.get_cancel_url()
        )
        return context


class DetailPageView(_PageMixin, TemplateView):
    template_name = "web/_detail_page.html"
    actions: tuple[RowAction, ...] = ()
    back_url_name = ""

    def get_fields(self, obj) -> list[tuple[str, Any]]:
        return []

    def bound_actions(self) -> list[BoundAction]:
        user, obj = self.request.user, self.object
        return [
            BoundAction(
                a, a.url_for(obj), self.shown(a.confirm.format(obj=obj)) if a.confirm else ""
            )
            for a in self.actions
            if (not a.permission or user.has_perm(a.permission))
            and (a.visible is None or a.visible(obj))
        ]

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            self.page_context(),
            fields=[(label, self.shown(value)) for label, value in self.get_fields(self.object)],
            actions=self.bound_actions(),
            back_url=reverse(self.back_url_name) if self.back_url_name else "",
        )
        return context


class ObjectActionView(_PageMixin, View):
    http_method_names = ["post"]
    success_message = "操作成功"
    success_url_name = ""
    require_reason = False
    reason_label = "原因"

    def perform(self, obj, *, reason: str = "") -> Any:
        raise NotImplementedError

    def redirect_back(self) -> HttpResponseRedirect:
        default = reverse(self.success_url_name) if self.success_url_name else "/"
        return HttpResponseRedirect(
            safe_target(self.request, self.request.POST.get("next", ""), default)
        )

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "").strip()
        if self.require_reason and not reason:
            messages.error(request, f"请填写{self.reason_label}")
            return self.redirect_back()
        try:
            result = self.perform(self.object, reason=reason)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self.redirect_back()
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return self.redirect_back()
        if isinstance(result, HttpResponse):
            return result
        messages.success(
            request, self.shown(self.success_message.format(obj=result or self.object))
        )
        return self.redirect_back()
