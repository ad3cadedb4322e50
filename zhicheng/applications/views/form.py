"""The applicant's form (新建申报 / 编辑申报) and its HTMX sections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhicheng.achievements import selectors as achievement_selectors
from zhicheng.achievements import services as achievement_services
from zhicheng.catalog import selectors as catalog_selectors
from zhicheng.catalog.models import AcquisitionMethod
from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import query_int_or_none
from zhicheng.web.views_pages import add_service_error

from .. import rules, selectors, services
from ..forms import ApplicationForm, WorkExperienceFormSet
from ..models import Application
from ._common import APPLY


class ApplicationFormView(LoginRequiredMixin, TemplateView):
    """新建申报 / 编辑申报 (a draft, or a returned application before resubmitting)."""

    template_name = "applications/application_form.html"
    application: Application | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(APPLY):
            raise PermissionDenied("只有申报人可以填写职称申报")
        if "pk" in kwargs:
            self.application = selectors.application_get(user=request.user, pk=kwargs["pk"])
            if self.application.applicant_id != request.user.pk:
                raise PermissionDenied("只能修改本人的申报")
        return super().dispatch(request, *args, **kwargs)

    def initial(self) -> dict:
        app = self.application
        if app is None:
            from zhicheng.persons.selectors import person_for_user

            person = person_for_user(self.request.user)
            # A new application starts from the 个人业绩库 (学历, 参加工作时间), not empty.
            prefill = achievement_selectors.application_prefill(user=self.request.user)
            prefill.pop("work_experiences", None)
            return {
                **prefill,
                "acquisition_method": AcquisitionMethod.EVALUATION,
                "employer": person.organization if person and person.organization_id else None,
            }
        return {
            "acquisition_method": app.acquisition_method,
            "series": app.title.series,
            "title": app.title,
            "specialty": app.specialty_id,
            "employer": app.employer,
            "committee": app.committee,
            "notice_acknowledged": app.notice_acknowledged_at is not None,
            "integrity_pledged": app.integrity_pledged_at is not None,
            "version": app.version,
            **{name: getattr(app, name) for name in services.DATA_FIELDS},
        }

    def blacklist_entry(self):
        """The entry barring the applicant, shown before he fills in anything (submission would
        be refused)."""
        from zhicheng.persons.selectors import person_for_user

        person = self.application.person if self.application else None
        return rules.person_blacklist_block(person or person_for_user(self.request.user))

    def experience_initial(self) -> list[dict]:
        if self.application is None:
            prefill = achievement_selectors.application_prefill(user=self.request.user)
            return prefill["work_experiences"]
        return [
            {
                "start_date": e.start_date,
                "end_date": e.end_date,
                "organization_name": e.organization_name,
                "position": e.position,
                "description": e.description,
            }
            for e in self.application.work_experiences.all()
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or ApplicationForm(
            initial=self.initial(), user=self.request.user, application=self.application
        )
        formset = kwargs.get("formset") or WorkExperienceFormSet(
            initial=self.experience_initial(), prefix="work"
        )
        history_locked = self._history_locked()
        if history_locked:
            for row in [*formset.forms, formset.empty_form]:
                for field in row.fields.values():
                    field.disabled = True
        context.update(
            title="编辑申报" if self.application else "新建职称申报",
            blacklist_entry=self.blacklist_entry(),
            app=self.application,
            history_locked=history_locked,
            form=form,
            formset=formset,
            options=_options_context(form),
        )
        return context

    def _history_locked(self) -> bool:
        """退回补正 without 业绩: the work history is shown, not editable."""
        app = self.application
        return app is not None and not app.may_edit_field("work_experiences")

    def post(self, request, *args, **kwargs):
        initial = self.initial() if self.application else None
        form = ApplicationForm(
            request.POST, initial=initial, user=request.user, application=self.application
        )
        formset = WorkExperienceFormSet(
            request.POST, initial=self.experience_initial(), prefix="work"
        )
        if form.is_valid() and formset.is_valid():
            rows = [r for r in (f.row() for f in formset.forms if f.cleaned_data) if r]
            if self._history_locked():
                rows = None  # kept as it is
            kwargs_ = form.service_kwargs()
            try:
                if self.application is None:
                    app = services.application_create(
                        actor=request.user, work_experiences=rows, **kwargs_
                    )
                    messages.success(request, "申报已保存为草稿。请上传电子档案，然后提交。")
                    _tick_library(request, app)
                    return HttpResponseRedirect(
                        reverse("applications:application-attachments", args=[app.pk])
                    )
                app = services.application_update(
                    actor=request.user,
                    application=self.application,
                    expected_version=form.cleaned_data.get("version"),
                    work_experiences=rows,
                    **kwargs_,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "申报已保存")
                return HttpResponseRedirect(
                    reverse("applications:application-detail", args=[app.pk])
                )
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


def _tick_library(request, app: Application) -> None:
    """A new draft takes the whole 个人业绩库 ticked; the applicant unticks on its page."""
    ids = [a.pk for a in achievement_selectors.achievement_list(user=request.user)]
    if not ids:
        return
    achievement_services.application_achievements_set(
        actor=request.user, application=app, achievement_ids=ids
    )
    messages.info(request, f"已从个人业绩库勾选 {len(ids)} 项业绩，可在申报详情中调整")


def _form_value(form: ApplicationForm, name: str):
    field = form.fields.get(name)
    if form.is_bound and not (field is not None and field.disabled):
        return form.data.get(name) or None
    value = form.initial.get(name)
    return getattr(value, "pk", value)


def _options_context(form: ApplicationForm) -> dict:
    """The 受理机构 (with its 申报须知) or the eligible 评委会 for the choices so far."""
    params = {
        "acquisition_method": _form_value(form, "acquisition_method") or "",
        "title": _form_value(form, "title"),
        "specialty": _form_value(form, "specialty"),
        "employer": _form_value(form, "employer"),
    }
    options = selectors.application_options(params)
    return {
        **options,
        # The list the applicant chooses from: while it stays the same, a reload of the section
        # (hx-preserve) keeps the choice made in the page, which a slower response started before
        # that click does not know of.
        "committee_list_key": "-".join(str(c["id"]) for c in options["committees"]),
        "method": params["acquisition_method"],
        "is_evaluation": params["acquisition_method"] == AcquisitionMethod.EVALUATION,
        "chosen_committee": str(_form_value(form, "committee") or ""),
        "acknowledged": bool(_form_value(form, "notice_acknowledged")),
        "employer": params["employer"],
        "ready": bool(params["title"] and (params["specialty"] or params["employer"])),
    }


class FormOptionsView(LoginRequiredMixin, View):
    """HTMX: the 受理机构/评委会 section for the choices made so far."""

    def get(self, request):
        if not request.user.has_perm(APPLY):
            raise PermissionDenied("只有申报人可以填写职称申报")
        form = ApplicationForm(request.GET, user=request.user)
        return render(request, "applications/_options.html", {"options": _options_context(form)})


class FormTitlesView(LoginRequiredMixin, View):
    """HTMX: the 职称 options of a 职称系列."""

    def get(self, request):
        series_id = query_int_or_none(request.GET, "series")
        titles = catalog_selectors.title_list_in_series(user=request.user, series_id=series_id)
        return render(
            request,
            "applications/_title_options.html",
            {"titles": titles, "specialty_groups": selectors.specialty_choices(series_id)},
        )
