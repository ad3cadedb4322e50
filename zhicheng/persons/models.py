"""人员 (``Person``): a natural person, keyed by 证件类型 + 证件号码.

One person may be an applicant (with a login, ``user``), be blacklisted (1.21) and hold titles
and certificates. For 居民身份证 and 港澳台居民居住证 the number is checked against GB 11643 and
the birth date and gender are taken from it; other documents get a format check only.

Scope: an officer sees the persons whose current employer (``organization``) lies in their
subtree; an applicant sees only their own person (``user``). Persons without an employer are
seen by nobody through the scope — HR officers reach them only by the exact-number lookup of
:func:`zhicheng.persons.selectors.person_typeahead`.
"""

import re

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from zhicheng.common.models import Timestamped
from zhicheng.common.scoping import scope_rule
from zhicheng.common.validators import mask_id_number, parse_id_number

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Passports and travel permits: letters and digits only, as printed on the document.
OTHER_DOCUMENT_RE = re.compile(r"^[A-Z0-9]{5,20}$")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    RESIDENCE_PERMIT = "residence_permit", "港澳台居民居住证"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"
    PASSPORT = "passport", "护照"


# Documents whose number follows GB 11643 (region, birth date, sequence, check character).
GB11643_TYPES = frozenset({IdType.RESIDENT_ID, IdType.RESIDENCE_PERMIT})


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


def validate_mobile(value: str) -> str:
    mobile = (value or "").strip().replace(" ", "").replace("-", "")
    if not MOBILE_RE.match(mobile):
        raise ValidationError("手机号应为11位中国大陆手机号码（以1开头）")
    return mobile


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


@scope_rule(org_path="organization__path", owner="user")
class Person(Timestamped):
    id_type = models.CharField(
        "证件类型", max_length=32, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = models.CharField("证件号码", max_length=32)
    name = models.CharField("姓名", max_length=50)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    is_retired = models.BooleanField("离退休人员", default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="工作单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                name="person_unique_id_document",
                violation_error_message="该证件号码已登记",
            )
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["id_number"])]
        permissions = [("lookup_person_by_id_number", "按完整证件号码查找任意人员")]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # Normalise first, so the length checks see what will be stored.
        self.name = (self.name or "").strip()
        self.id_number = normalize_id_number(self.id_number)
        self.mobile = (self.mobile or "").strip().replace(" ", "").replace("-", "")
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.id_type in GB11643_TYPES:
            try:
                parsed = parse_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
            else:
                self.id_number = parsed.number
                self.birth_date = parsed.birth_date
                self.gender = Gender.MALE if parsed.gender == "男" else Gender.FEMALE
        elif self.id_number and not OTHER_DOCUMENT_RE.match(self.id_number):
            errors["id_number"] = ["证件号码应为5至20位字母或数字"]
        if self.mobile:
            try:
                self.mobile = validate_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def id_number_for(self, user) -> str:
        """The number as ``user`` may see it: in full with ``accounts.view_full_id_number``."""
        if user is not None and user.has_perm("accounts.view_full_id_number"):
            return self.id_number
        if self.user_id is not None and user is not None and self.user_id == user.pk:
            return self.id_number
        return self.masked_id_number


# The operation log keeps 证件号码 masked (region and last four): the audit admin needs to see
# that it changed, not the number.
auditlog.register(
    Person, mask_fields=["id_number"], mask_callable="zhicheng.common.validators.mask_id_number"
)
