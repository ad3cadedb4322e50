"""评委会 批量导入 and 导出查询结果, through the shared Excel engine.

Import (key ``committees``, 1.10): one row per committee; the committees are managed by the
importer's organization and each gets its own login (role 评委会) with a generated password.
The passwords are not shown in the import dialog: they are kept in one 初始密码文件 that the
importer downloads once from the 评委会管理 page (or ``POST /api/v1/committees/
initial-passwords/<id>/claim/``) within 24 hours; after that, 重置密码 gives a new one.

Exports: ``committees`` is the 1.10 list (the committees the user manages), ``committees-query``
the 1.11 list (the committees the user may read); both take the list pages' GET filters.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleSeries
from zhicheng.committees import services
from zhicheng.committees.listings import COMMITTEES, MANAGED_COMMITTEES
from zhicheng.committees.models import Committee, CommitteeLevel, CommitteeStatus
from zhicheng.common.errors import ApplicationError
from zhicheng.tabular.engine import (
    Column,
    ImportRow,
    ImportSpec,
    check_drafts,
    listing_export,
    register_export,
    register_import,
)

IMPORT_KEY = "committees"
EXPORT_MANAGED_KEY = MANAGED_COMMITTEES.name
EXPORT_QUERY_KEY = COMMITTEES.name

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> str:
    """``2026-01-01``, ``2026/1/1``, ``2026.1.1``, ``2026年1月1日`` or ``20260101`` → ISO."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if not match:
        raise ValidationError(f"日期“{text}”格式不正确，应如 2026-01-01")
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise ValidationError(f"日期“{text}”不存在") from None


def series_lookup() -> dict[str, list[int]]:
    """Series by 名称 (``工程``, ``医``), full name (``卫生·医``) and 代码 (``engineering``)."""
    lookup: dict[str, list[int]] = {}
    parents = dict(TitleSeries.objects.values_list("pk", "name"))
    for pk, code, name, parent_id in TitleSeries.objects.values_list(
        "pk", "code", "name", "parent_id"
    ):
        keys = {code.lower(), name}
        if parent_id:
            keys.add(f"{parents.get(parent_id, '')}·{name}")
        for key in keys:
            lookup.setdefault(key, []).append(pk)
    return lookup


IMPORT_COLUMNS = (
    Column("评委会名称", "name", required=True, max_length=200, width=40),
    Column("评委会级别", "level", required=True, choices=CommitteeLevel.choices, width=12),
    Column(
        "职称系列",
        "series",
        required=True,
        max_length=50,
        help="系列名称，如 工程、卫生·医；或系列代码，如 engineering",
        width=16,
    ),
    Column(
        "评委会账号",
        "account",
        required=True,
        max_length=150,
        help="评委会登录系统的用户名，不能与系统中任何用户名重复",
        width=20,
    ),
    Column("核准备案文号", "approval_number", required=True, max_length=100, width=24),
    Column("有效期起", "valid_from", required=True, parse=parse_date, help="如 2026-01-01"),
    Column(
        "有效期止",
        "valid_until",
        required=True,
        parse=parse_date,
        help="不早于有效期起，最长3年",
    ),
)


def _draft(data: dict[str, Any], series_id: int | None) -> services.CommitteeDraft:
    return services.CommitteeDraft(
        name=data["name"],
        level=data["level"],
        series_id=series_id,
        account=data["account"],
        approval_number=data["approval_number"],
        valid_from=dt.date.fromisoformat(data["valid_from"]),
        valid_until=dt.date.fromisoformat(data["valid_until"]),
    )


def validate_rows(rows: list[ImportRow], actor: User, params: dict[str, str]) -> None:
    lookup = series_lookup()

    def draft(row: ImportRow) -> services.CommitteeDraft:
        text = row.data["series"]
        matches = lookup.get(text) or lookup.get(text.lower()) or []
        if not matches:
            raise ApplicationError(f"职称系列“{text}”不存在")
        if len(matches) > 1:
            raise ApplicationError(
                f"职称系列“{text}”不唯一，请填写系列全称（如 卫生·医）或系列代码"
            )
        row.data["series_id"] = matches[0]
        return _draft(row.data, matches[0])

    check_drafts(
        rows, draft, lambda drafts: services.committee_bulk_check(actor=actor, drafts=drafts)
    )


def commit(rows: list[dict[str, Any]], actor: User, params: dict[str, str]) -> int:
    drafts = [_draft(data, data.get("series_id")) for data in rows]
    handout = services.committee_import(actor=actor, drafts=drafts)
    return handout.account_count


register_import(
    ImportSpec(
        key=IMPORT_KEY,
        title="评委会",
        permission="committees.add_committee",
        columns=IMPORT_COLUMNS,
        validate_rows=validate_rows,
        commit=commit,
        instructions=(
            "导入的评委会由您所在机构管理，每个评委会生成一个登录账号（角色：评委会）。",
            "提交后，各账号的初始密码汇总为一个“初始密码文件”，请在评委会管理页面下载（仅可下载一次，"
            "24小时内有效）；评委会首次登录须修改密码。",
        ),
    )
)


# --- Export ---------------------------------------------------------------------------------


def _with_counts(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    today = timezone.localdate()
    return qs.annotate(
        validity_label=Case(
            When(status=CommitteeStatus.DEREGISTERED, then=Value("已注销")),
            When(valid_until__lt=today, then=Value("已过期")),
            When(valid_from__gt=today, then=Value("未生效")),
            default=Value("正常"),
            output_field=CharField(),
        ),
        specialty_count=Count("specialty_links", distinct=True),
        organizer_count=Count("organizer_links", distinct=True),
        fee_count=Count("fees", distinct=True),
    )


register_export(listing_export(MANAGED_COMMITTEES, prepare=_with_counts))
register_export(listing_export(COMMITTEES, prepare=_with_counts))
