"""Chinese national identifiers: 统一社会信用代码 (GB 32100) and 公民身份号码 (GB 11643).

python-stdnum's ``cn.uscc`` refuses codes whose first character (登记管理部门) is a letter,
which real codes (e.g. ``N…`` for 农业, ``Y…`` for 工会) use, so the USCC check is written here.
Both functions return the normalised value or raise ``ValidationError`` with a Chinese message.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位，当前为%(n)d位", params={"n": len(code)})
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise ValidationError("统一社会信用代码含有非法字符：%(c)s", params={"c": "".join(bad)})
    if not code[2:8].isdigit():
        raise ValidationError("统一社会信用代码第3至8位应为行政区划码")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位错误")
    return code


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# 省级行政区划代码 (first two digits) of GB/T 2260, plus 港澳台 residence-permit prefixes.
_PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83", "91",
}  # fmt: skip


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    gender: str  # "男" / "女"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str) -> IdNumber:
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError("身份证号应为18位，当前为%(n)d位", params={"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号前17位应为数字，最后一位为数字或X")
    if number[:2] not in _PROVINCES:
        raise ValidationError("身份证号行政区划码无效")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号出生日期无效") from None
    if birth.year < 1900 or birth > dt.date.today():
        raise ValidationError("身份证号出生日期无效")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError("身份证号校验位错误")
    return IdNumber(number, birth, "男" if int(number[16]) % 2 else "女")


def validate_id_number(value: str) -> str:
    return parse_id_number(value).number


def mask_id_number(number: str) -> str:
    """``110101199003071234`` → ``110101********1234`` (keep region and last four)."""
    if not number or len(number) < 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


FULL_ID_NUMBER_PERMISSION = "accounts.view_full_id_number"
# 18 characters that may be a 身份证号, not glued to other letters or digits.
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# The same as a database regex (usernames that are 身份证号: applicants log in with theirs).
ID_NUMBER_REGEX = r"^[0-9]{17}[0-9Xx]$"

T = TypeVar("T")


def _is_id_number(text: str) -> bool:
    try:
        parse_id_number(text)
    except ValidationError:
        return False
    return True


def mask_if_id_number(value: T) -> T:
    """Mask every 身份证号 in a text: the whole value (an applicant's user name) or numbers
    embedded in it (``王五（110101199003071234）``). Only what parses as a valid number is
    masked; anything that is not a string is returned as it is."""
    if not isinstance(value, str) or len(value) < 18:
        return value
    return _ID_CANDIDATE.sub(
        lambda m: mask_id_number(m.group()) if _is_id_number(m.group()) else m.group(), value
    )


def may_see_full_id_numbers(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.has_perm(FULL_ID_NUMBER_PERMISSION)
    )


def id_numbers_for(user, value: T) -> T:
    """``value`` as ``user`` may see it: in full with ``accounts.view_full_id_number``,
    otherwise with every 身份证号 in it masked."""
    return value if may_see_full_id_numbers(user) else mask_if_id_number(value)


def contains_unless_id_number(field: str, term: str, *, user) -> Q:
    """``field__icontains=term`` for a search box, except that values that are 身份证号 (user
    names) match only in full when ``user`` may not see full numbers: a substring search would
    otherwise reveal the masked digits one at a time."""
    contains = Q(**{f"{field}__icontains": term})
    if may_see_full_id_numbers(user):
        return contains
    return (contains & ~Q(**{f"{field}__regex": ID_NUMBER_REGEX})) | Q(**{f"{field}__iexact": term})
