"""Raw query-string values (``request.query_params``, ``request.GET``, an export's saved
filters) made safe to filter with — the one parser every API list, export and lookup uses.

Never a 500 from a query string: an id outside the database's integer range (PostgreSQL
``bigint``, SQLite's 64-bit integer) or not a number is refused with a Chinese message
(``ApplicationError`` → 400 in the API); NUL characters, which PostgreSQL cannot store or
compare, are dropped from text; text is bounded in length.

    organization = query_int(params, "organization")     # int | None (absent or empty)
    name = query_text(params, "name")                      # str, "" when absent
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhicheng.common.errors import ApplicationError

ID_MIN = 1
ID_MAX = 2**63 - 1  # BigAutoField / PostgreSQL bigint
TEXT_MAX_LENGTH = 200


def clean_text(value: Any, *, max_length: int = TEXT_MAX_LENGTH) -> str:
    """A text filter value: NULs dropped, surrounding blanks stripped, at most ``max_length``."""
    if value is None:
        return ""
    return str(value).replace("\x00", "").strip()[:max_length]


def query_text(
    params: Mapping[str, Any], name: str, *, default: str = "", max_length: int = TEXT_MAX_LENGTH
) -> str:
    value = params.get(name)
    if value is None:
        return default
    return clean_text(value, max_length=max_length)


def parse_int(
    value: Any, *, label: str = "编号", minimum: int = ID_MIN, maximum: int = ID_MAX
) -> int | None:
    """``value`` as an integer in [minimum, maximum]; None when empty; ``ApplicationError``
    for anything else (``abc``, ``1.5``, ``-1``, ``99999999999999999999``)."""
    if isinstance(value, bool):
        raise ApplicationError(f"{label}格式不正确")
    if isinstance(value, int):
        number = value
    else:
        text = clean_text(value, max_length=40)
        if not text:
            return None
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:
            raise ApplicationError(f"{label}格式不正确，应为整数")
        number = int(text)
    if not minimum <= number <= maximum:
        raise ApplicationError(f"{label}超出有效范围")
    return number


def query_int(
    params: Mapping[str, Any],
    name: str,
    *,
    label: str | None = None,
    minimum: int = ID_MIN,
    maximum: int = ID_MAX,
) -> int | None:
    """The integer (an id, by default) in ``params[name]``, or None when absent or empty."""
    return parse_int(
        params.get(name), label=label or f"参数“{name}”", minimum=minimum, maximum=maximum
    )


def id_or_none(value: Any) -> int | None:
    """An id, or None for anything that cannot be one (empty, ``abc``, ``0``, ``2**70``)."""
    try:
        return parse_int(value)
    except ApplicationError:
        return None


def query_int_or_none(params: Mapping[str, Any], name: str) -> int | None:
    """For pages: a bad link parameter is ignored (as a query form ignores a bad value)."""
    return id_or_none(params.get(name))


def query_flag(params: Mapping[str, Any], name: str) -> bool:
    """``?name=1`` / ``?name=true`` → True; anything else False."""
    return query_text(params, name, max_length=10).lower() in ("1", "true")
