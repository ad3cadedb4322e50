"""Writes on persons: find-or-register a person, update one, and the applicant's registration.

Every function is atomic and keyword-only. Data changes of ``Person`` are logged by auditlog;
the registration, a business action, is also written with ``operation_record``.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhicheng.accounts.models import User
from zhicheng.accounts.roles import Role
from zhicheng.accounts.services import user_create, user_password_replace, user_update
from zhicheng.common.errors import ApplicationError, full_clean_or_raise, validation_message
from zhicheng.common.oplog import operation_record
from zhicheng.common.scoping import scoped
from zhicheng.common.validators import may_see_full_id_numbers, parse_id_number
from zhicheng.orgs.models import Organization
from zhicheng.persons.models import IdType, Person, normalize_id_number, validate_mobile

# One answer for "already registered" and "name does not match the person on file", so the
# public registration cannot be used to learn who is registered or listed.
REGISTRATION_REFUSED = "该身份证号无法注册，请核对信息或联系经办机构"
PERSON_NOT_FOUND = "人员不存在或不在管辖范围内"


def _check_org_in_scope(*, actor: User | None, organization: Organization | None) -> None:
    if organization is None or actor is None:
        return
    if not scoped(Organization.objects.filter(pk=organization.pk), actor).exists():
        raise ApplicationError("工作单位不存在或不在您的管辖范围内")


def _name_mismatch(*, actor: User | None, existing: Person, name: str) -> ApplicationError:
    # Only those allowed to look any person up by number learn the registered name.
    if actor is not None and actor.has_perm("persons.lookup_person_by_id_number"):
        return ApplicationError(
            f"该证件号码已登记，登记姓名为“{existing.name}”，与录入的姓名“{name}”不一致，请核对"
        )
    return ApplicationError("该证件号码已登记，但姓名与录入的不一致，请核对")


@transaction.atomic
def person_get_or_create(
    *,
    actor: User | None,
    id_number: str,
    name: str,
    id_type: str = IdType.RESIDENT_ID,
    mobile: str = "",
    organization: Organization | None = None,
) -> tuple[Person, bool]:
    """The person with this document, created (and validated) if unknown.

    An existing person is returned as it is (locked), provided the name matches; a new one is
    checked in full (GB 11643 for 身份证号, mobile format) and its employer must be in scope.
    """
    if id_type not in IdType.values:
        raise ApplicationError("证件类型无效")
    name = (name or "").strip()
    number = normalize_id_number(id_number)
    if not number:
        raise ApplicationError("请填写证件号码")
    existing = Person.objects.select_for_update().filter(id_type=id_type, id_number=number).first()
    if existing is not None:
        if name and name != existing.name:
            raise _name_mismatch(actor=actor, existing=existing, name=name)
        return existing, False
    if not name:
        raise ApplicationError("请填写姓名")
    _check_org_in_scope(actor=actor, organization=organization)
    person = Person(
        id_type=id_type, id_number=number, name=name, mobile=mobile, organization=organization
    )
    full_clean_or_raise(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Registered by someone else a moment ago: use that one.
        existing = Person.objects.select_for_update().get(
            id_type=id_type, id_number=person.id_number
        )
        if existing.name != name:
            raise _name_mismatch(actor=actor, existing=existing, name=name) from None
        return existing, False
    return person, True


@transaction.atomic
def person_link_user(*, actor: User | None, person: Person, user: User) -> Person:
    """Give a person their applicant login (an account made before the person was known, e.g.
    the demo's ``applicant_a``). ``actor`` None is the system. Refused when either side is
    already linked."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.user_id == user.pk:
        return locked
    if locked.user_id is not None:
        raise ApplicationError("该人员已关联登录账号")
    if not user.is_applicant:
        raise ApplicationError(f"账号“{user.username}”不是申报人账号")
    if Person.objects.filter(user=user).exists():
        raise ApplicationError(f"账号“{user.username}”已关联其他人员")
    locked.user = user
    full_clean_or_raise(locked)
    locked.save(update_fields=["user"])  # django-auditlog records the change
    return locked


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    name: str | None = None,
    mobile: str | None = None,
    is_retired: bool | None = None,
    organization: Organization | None = None,
) -> Person:
    """Change a person. HR (``persons.change_person``) may change name, mobile, 离退休 and the
    employer of persons in scope; an applicant may change only the mobile of their own person.
    ``None`` leaves a field unchanged."""
    locked = scoped(Person.objects.select_for_update(), actor).filter(pk=person.pk).first()
    if locked is None:
        raise ApplicationError(PERSON_NOT_FOUND)
    is_hr = actor.has_perm("persons.change_person")
    is_self = locked.user_id is not None and locked.user_id == actor.pk
    if not (is_hr or is_self):
        raise PermissionDenied("无权修改人员信息")
    if not is_hr and any(v is not None for v in (name, is_retired, organization)):
        raise PermissionDenied("申报人只能修改本人手机号")
    if name is not None:
        if not name.strip():
            raise ApplicationError("请填写姓名")
        locked.name = name.strip()
    if mobile is not None:
        locked.mobile = mobile
    if is_retired is not None:
        locked.is_retired = is_retired
    if organization is not None:
        _check_org_in_scope(actor=actor, organization=organization)
        locked.organization = organization
    full_clean_or_raise(locked)
    locked.save()
    if locked.user_id is not None and (name is not None or mobile is not None):
        user_update(user=locked.user, real_name=locked.name, phone=locked.mobile)
    return locked


@transaction.atomic
def applicant_register(*, name: str, id_number: str, mobile: str, password: str) -> Person:
    """申报人注册: a login (username = 身份证号, role 申报人) and its person, in one transaction.

    A person already known (listed by HR, say) without a login is linked when the name matches.
    A number already registered and a name that does not match get the same message
    (``REGISTRATION_REFUSED``); the page and the API throttle attempts per client address.
    """
    name = (name or "").strip()
    if not name:
        raise ApplicationError("请填写真实姓名")
    try:
        parsed = parse_id_number(id_number)
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        raise ApplicationError(validation_message(exc)) from None
    number = parsed.number
    if User.objects.filter(username__iexact=number).exists():
        raise ApplicationError(REGISTRATION_REFUSED)
    person = (
        Person.objects.select_for_update()
        .filter(id_type=IdType.RESIDENT_ID, id_number=number)
        .first()
    )
    if person is not None:
        if person.user_id is not None:
            raise ApplicationError(REGISTRATION_REFUSED)
        if person.name != name:
            raise ApplicationError(REGISTRATION_REFUSED)
    try:
        with transaction.atomic():
            user, _ = user_create(
                username=number,
                organization=person.organization if person else None,
                roles=[Role.APPLICANT],
                real_name=name,
                phone=mobile,
                password=password,
                must_change_password=False,
            )
    except IntegrityError:
        raise ApplicationError(REGISTRATION_REFUSED) from None
    if person is None:
        person = Person(id_type=IdType.RESIDENT_ID, id_number=number, name=name)
    person.mobile = mobile
    person.user = user
    full_clean_or_raise(person)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ApplicationError(REGISTRATION_REFUSED) from None
    operation_record(
        actor=user, operation="register", obj=person, summary=f"申报人注册 {person.name}"
    )
    return person


PASSWORD_RESET_REFUSED = "身份证号与注册手机号不匹配，请核对后重试，或联系当地人社部门重置密码"


@transaction.atomic
def applicant_password_reset(*, id_number: str, mobile: str, password: str) -> User:
    """忘记密码 for an applicant (an intranet's self-service path): the 身份证号 and the mobile
    number registered with it prove the person; the new password must pass the validators.
    Tokens taken with the old password stop working and a lockout is lifted. One message for
    every mismatch (unknown number, other mobile, not an applicant), so numbers cannot be
    probed; the page throttles attempts per client address."""
    try:
        number = parse_id_number(id_number).number
        mobile = validate_mobile(mobile)
    except ValidationError:
        raise ApplicationError(PASSWORD_RESET_REFUSED) from None
    person = (
        Person.objects.select_related("user")
        .filter(id_type=IdType.RESIDENT_ID, id_number=number, user__isnull=False)
        .first()
    )
    if person is None or person.mobile != mobile or not person.user.is_applicant:
        raise ApplicationError(PASSWORD_RESET_REFUSED)
    user = User.objects.select_for_update().get(pk=person.user_id)
    if not user.is_active:
        raise ApplicationError("该账号已停用，请联系当地人社部门")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(validation_message(exc)) from None
    user_password_replace(
        actor=user,
        user=user,
        password=password,
        must_change=False,
        summary=f"申报人{person.name}通过身份证号和注册手机号重置了密码",
    )
    return user


def id_number_reveal(*, viewer: User, person: Person) -> str:
    """身份证号 on a 详情 page: whole for a viewer whose role needs it
    (``accounts.view_full_id_number``) — and each such view is written to the operation log
    ("查看身份证号：<name>") — the holder's own number for himself, masked for everyone else.
    Lists and exports always show it masked (``web.views_list.ListPageView.shown``,
    ``tabular.services``)."""
    if viewer is not None and person.user_id is not None and person.user_id == viewer.pk:
        return person.id_number
    if not may_see_full_id_numbers(viewer):
        return person.masked_id_number
    operation_record(
        actor=viewer, operation="view_id_number", obj=person, summary=f"查看身份证号：{person.name}"
    )
    return person.id_number


def id_number_in_answer(*, context: dict, person: Person) -> str:
    """身份证号 in an API answer: a list (every action but ``retrieve`` / ``me``) masks it like
    the pages' lists; one record is a 详情 (``id_number_reveal``: whole for the roles that need
    it, logged)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    action = getattr(context.get("view"), "action", None)
    if action in ("retrieve", "me"):
        return id_number_reveal(viewer=viewer, person=person)
    if viewer is not None and person.user_id is not None and person.user_id == viewer.pk:
        return person.id_number
    query = getattr(request, "query_params", None) or {}
    if query.get("search", "").strip().upper() == person.id_number.upper():
        return person.id_number  # found by the whole number the viewer typed: nothing revealed
    return person.masked_id_number
