"""The applicant's draft: create and edit (guide 1.12)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.diff import model_instance_diff
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import AcquisitionMethod, Specialty, Title
from zhicheng.committees.models import Committee
from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.common.oplog import operation_record
from zhicheng.orgs.models import EMPLOYER_ORG_TYPES, Organization
from zhicheng.persons.selectors import person_for_user
from zhicheng.routing.selectors import acceptance_office_for

from .. import rules
from ..models import (
    APPLICATION_METHODS,
    LEVEL_COMMITTEE_KIND,
    METHOD_ROUTE_KIND,
    Application,
    Education,
    WorkExperience,
)
from ._common import (
    DATA_FIELDS,
    MAX_WORK_EXPERIENCES,
    _check_version,
    _lock,
    _require_owner,
    route_nodes_refresh,
)


@dataclass
class WorkExperienceData:
    start_date: dt.date
    organization_name: str
    end_date: dt.date | None = None
    position: str = ""
    description: str = ""


def _check_choice_fields(
    *, acquisition_method: str, title: Title, specialty: Specialty, employer: Organization
) -> None:
    if acquisition_method not in APPLICATION_METHODS:
        raise ApplicationError("请选择取得方式（初定、认定或评审）")
    if title is None:
        raise ApplicationError("请选择申报职称")
    if specialty is None:
        raise ApplicationError("请选择申报专业")
    if specialty.depth <= 1:
        raise ApplicationError("请选择具体的专业，不能选择栏目大类")
    problem = rules.specialty_problem(title, specialty)
    if problem:
        raise ApplicationError(problem)
    if employer is None:
        raise ApplicationError("请选择用人单位")
    if not employer.is_active:
        raise ApplicationError(f"用人单位“{employer.name}”已注销，请重新选择")
    if employer.org_type not in EMPLOYER_ORG_TYPES:
        raise ApplicationError(f"“{employer.name}”不是用人单位，请选择本人所在的用人单位")


# Foreign keys a save sets only from rows it has read (or keeps): full_clean's existence query
# for each (six per save) would check again what the database's constraints guarantee.
_RELATIONS_CHECKED = (
    "person",
    "applicant",
    "title",
    "specialty",
    "employer",
    "committee",
    "acceptance_office",
)


def _route_kind(acquisition_method: str, title: Title) -> str:
    if acquisition_method == AcquisitionMethod.EVALUATION:
        return LEVEL_COMMITTEE_KIND[title.level]
    return METHOD_ROUTE_KIND[acquisition_method]


def _apply_choices(
    app: Application,
    *,
    acquisition_method: str,
    title: Title,
    specialty: Specialty,
    employer: Organization,
    committee: Committee | None,
    notice_acknowledged: bool | None,
    today: dt.date,
) -> None:
    """``notice_acknowledged``: True/False as ticked on the form; None keeps the current
    acknowledgement unless the acceptance office changed."""
    _check_choice_fields(
        acquisition_method=acquisition_method, title=title, specialty=specialty, employer=employer
    )
    app.acquisition_method = acquisition_method
    app.title = title
    app.level = title.level
    app.specialty = specialty
    app.employer = employer
    app.route_kind = _route_kind(acquisition_method, title)
    now = timezone.now()
    if acquisition_method == AcquisitionMethod.EVALUATION:
        if committee is not None:
            problem = rules.committee_problem(
                committee, title=title, specialty=specialty, today=today
            )
            if problem:
                raise ApplicationError(problem)
        app.committee = committee
        app.acceptance_office = None
        app.notice_acknowledged_at = None
    else:
        office = acceptance_office_for(
            employer=employer, level=title.level, acquisition_method=acquisition_method
        )
        if office is None or office.pk != app.acceptance_office_id:
            app.notice_acknowledged_at = None  # a new office: its notice is read anew
        app.acceptance_office = office
        app.committee = None
        if notice_acknowledged and office is not None:
            app.notice_acknowledged_at = app.notice_acknowledged_at or now
        elif notice_acknowledged is False:
            app.notice_acknowledged_at = None


def _apply_data(app: Application, data: dict[str, Any], today: dt.date) -> None:
    text_fields = {
        "education",
        "school",
        "major",
        "current_title_name",
        "origin_province",
        "origin_certificate_number",
    }
    for name in DATA_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in text_fields:
            value = (value or "").strip()
        setattr(app, name, value)
    app.out_of_province = bool(app.out_of_province)
    if not app.out_of_province:  # the other province's particulars belong to 省外资格确认 only
        app.origin_province = app.origin_certificate_number = ""
    if app.education and app.education not in Education.values:
        raise ApplicationError("学历的取值无效")
    for label, value in (
        ("毕业时间", app.graduation_date),
        ("参加工作时间", app.work_start_date),
        ("现职称取得时间", app.current_title_date),
    ):
        if value is not None and value > today:
            raise ApplicationError(f"{label}不能晚于今天")


def _clean_experiences(rows: Iterable[WorkExperienceData | dict]) -> list[WorkExperienceData]:
    cleaned = []
    for raw in rows:
        row = raw if isinstance(raw, WorkExperienceData) else WorkExperienceData(**raw)
        name = (row.organization_name or "").strip()
        if row.start_date is None or not name:
            raise ApplicationError("工作经历的开始时间和工作单位必须填写")
        if row.end_date is not None and row.end_date < row.start_date:
            raise ApplicationError("工作经历的结束时间不能早于开始时间")
        cleaned.append(
            WorkExperienceData(
                start_date=row.start_date,
                end_date=row.end_date,
                organization_name=name,
                position=(row.position or "").strip(),
                description=(row.description or "").strip(),
            )
        )
    if len(cleaned) > MAX_WORK_EXPERIENCES:
        raise ApplicationError(f"工作经历最多填写{MAX_WORK_EXPERIENCES}条")
    return sorted(cleaned, key=lambda r: r.start_date)


def _save_experiences(app: Application, rows: list[WorkExperienceData]) -> None:
    app.work_experiences.all().delete()
    objs = [WorkExperience(application=app, **row.__dict__) for row in rows]
    for obj in objs:
        full_clean_or_raise(obj, exclude=["application"])
    WorkExperience.objects.bulk_create(objs)


@transaction.atomic
def application_create(
    *,
    actor: User,
    acquisition_method: str,
    title: Title,
    specialty: Specialty,
    employer: Organization,
    committee: Committee | None = None,
    notice_acknowledged: bool = False,
    integrity_pledged: bool = False,
    year: int | None = None,
    work_experiences: Iterable[WorkExperienceData | dict] = (),
    **data: Any,
) -> Application:
    """A new draft by the applicant ``actor`` (their own person)."""
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    if actor is None or not actor.is_authenticated or not actor.is_applicant:
        raise PermissionDenied("只有申报人可以新建职称申报")
    person = person_for_user(actor)
    if person is None:
        raise ApplicationError("当前账号尚未关联人员信息，不能申报，请联系当地人社部门")
    today = timezone.localdate()
    app = Application(person=person, applicant=actor, year=year or today.year)
    _apply_choices(
        app,
        acquisition_method=acquisition_method,
        title=title,
        specialty=specialty,
        employer=employer,
        committee=committee,
        notice_acknowledged=notice_acknowledged,
        today=today,
    )
    # The person's row lock serialises his creates: two at once cannot both pass the rule.
    type(person).objects.select_for_update().filter(pk=person.pk).first()
    rules.check_one_open_per_series(app, today)
    _apply_data(app, data, today)
    app.integrity_pledged_at = timezone.now() if integrity_pledged else None
    experiences = _clean_experiences(work_experiences)
    full_clean_or_raise(app, exclude=["route_chain"])
    app.save()
    _save_experiences(app, experiences)
    operation_record(actor=actor, operation="create", obj=app, summary=f"新建职称申报 {app}")
    return app


OTHER_LABELS = {
    "work_experiences": "工作经历",
    "notice_acknowledged": "申报须知确认",
    "integrity_pledged": "诚信承诺",
}


def _experience_key(rows) -> list[tuple]:
    return [
        (r.start_date, r.end_date, r.organization_name, r.position, r.description) for r in rows
    ]


def _changed_names(
    app: Application,
    *,
    choices: dict[str, Any],
    notice_acknowledged: bool | None,
    integrity_pledged: bool | None,
    experiences: list[WorkExperienceData] | None,
    data: dict[str, Any],
) -> list[str]:
    """The parts an edit would change (compared with the stored application): a form posting
    every field unchanged changes nothing."""
    changed = [
        name
        for name, value in choices.items()
        if value is not None
        and getattr(app, f"{name}_id", getattr(app, name, None))
        != (value.pk if hasattr(value, "pk") else value)
    ]
    if notice_acknowledged is not None and notice_acknowledged != (
        app.notice_acknowledged_at is not None
    ):
        changed.append("notice_acknowledged")
    if integrity_pledged is not None and integrity_pledged != (
        app.integrity_pledged_at is not None
    ):
        changed.append("integrity_pledged")
    for name, value in data.items():
        current = getattr(app, name)
        if isinstance(value, str) or isinstance(current, str):
            value, current = (value or "").strip(), current or ""
        if value != current:
            changed.append(name)
    if experiences is not None and _experience_key(experiences) != _experience_key(
        _clean_experiences(
            WorkExperienceData(
                start_date=e.start_date,
                end_date=e.end_date,
                organization_name=e.organization_name,
                position=e.position,
                description=e.description,
            )
            for e in app.work_experiences.all()
        )
    ):
        changed.append("work_experiences")
    return changed


def _check_modules(app: Application, changed: list[str]) -> None:
    """退回补正: refuse any change outside the modules the return named."""
    outside = [name for name in changed if not app.may_edit_field(name)]
    if not outside:
        return
    labels = [
        OTHER_LABELS.get(name) or str(Application._meta.get_field(name).verbose_name)
        for name in outside
    ]
    raise ApplicationError(
        f"本次退回只需补正：{'、'.join(app.return_module_labels)}；"
        f"{'、'.join(labels)}不在补正范围内，不能修改"
    )


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application | int,
    expected_version: int | None = None,
    acquisition_method: str | None = None,
    title: Title | None = None,
    specialty: Specialty | None = None,
    employer: Organization | None = None,
    committee: Committee | None = None,
    notice_acknowledged: bool | None = None,
    integrity_pledged: bool | None = None,
    work_experiences: Iterable[WorkExperienceData | dict] | None = None,
    **data: Any,
) -> Application:
    """Edit a draft, or a returned application before resubmitting. ``None`` keeps a field."""
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    app = _lock(application)
    _require_owner(app, actor)
    _check_version(app, expected_version)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改")
    stored = copy.copy(app)  # the locked row as read, for the operation log below
    experiences = _clean_experiences(work_experiences) if work_experiences is not None else None
    if app.restricted_modules:
        _check_modules(
            app,
            _changed_names(
                app,
                choices={
                    "acquisition_method": acquisition_method,
                    "title": title,
                    "specialty": specialty,
                    "employer": employer,
                    "committee": committee,
                },
                notice_acknowledged=notice_acknowledged,
                integrity_pledged=integrity_pledged,
                experiences=experiences,
                data=data,
            ),
        )
    today = timezone.localdate()
    choices = (acquisition_method, title, specialty, employer, committee, notice_acknowledged)
    # A save that changes none of the choices (most of a draft's saves: its data fields) need
    # not check them again: submission checks them all (``rules.check_complete``). The one open
    # application per series rule is checked on every save (rows made before the rule).
    if any(choice is not None for choice in choices):
        method = acquisition_method or app.acquisition_method
        _apply_choices(
            app,
            acquisition_method=method,
            title=title or app.title,
            specialty=specialty or app.specialty,
            employer=employer or app.employer,
            committee=committee
            if committee is not None
            else (app.committee if method == AcquisitionMethod.EVALUATION else None),
            notice_acknowledged=notice_acknowledged,
            today=today,
        )
    rules.check_one_open_per_series(app, today)
    _apply_data(app, data, today)
    if integrity_pledged is not None:
        app.integrity_pledged_at = (
            (app.integrity_pledged_at or timezone.now()) if integrity_pledged else None
        )
    app.version += 1
    full_clean_or_raise(app, exclude=["route_chain", *_RELATIONS_CHECKED])
    app.save()
    if app.submitted_at is not None:  # returned: officers list it by these columns
        route_nodes_refresh(app)
    if experiences is not None:
        _save_experiences(app, experiences)
    # One operation-log entry per save. django-auditlog has written it when a field it records
    # changed (修改, with each old and new value, the actor and IP from the request); the
    # business entry only for a save it did not record (the work history, 须知 / 承诺, nothing).
    if not model_instance_diff(stored, app):
        operation_record(actor=actor, operation="update", obj=app, summary=f"修改职称申报 {app}")
    return app
