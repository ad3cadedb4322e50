"""专家库 批量导入 (with preview) and 导出查询结果, through the shared Excel engine.

Import (key ``experts``): one row per expert. A committee account imports into its own pool; an
HR officer names the committee (评委会名称) among those their subtree manages. Each new expert
gets a login (role 评审专家); its initial password is not shown by the import: 详情 → 重置密码
gives it. Every row is checked at preview by running ``expert_add`` and rolling it back, so the
preview refuses exactly what the commit would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.catalog.models import Specialty, TitleSeries
from zhicheng.committees.models import Committee

# lint: allow-layer (the same 日期 and 职称系列 cells as the committee import, read the same way)
from zhicheng.committees.tabular import parse_date, series_lookup
from zhicheng.common.errors import ApplicationError
from zhicheng.common.scoping import scoped
from zhicheng.experts import services
from zhicheng.experts.listings import EXPERTS, PANEL
from zhicheng.experts.models import ExpertLevel
from zhicheng.orgs.models import Organization
from zhicheng.tabular.engine import (
    Column,
    ImportRow,
    ImportSpec,
    error_messages,
    listing_export,
    register_export,
    register_import,
)

IMPORT_KEY = "experts"

IMPORT_COLUMNS = (
    Column("姓名", "name", required=True, max_length=50, width=12),
    Column("身份证号", "id_number", required=True, max_length=32, unique=True, width=22),
    Column("手机号", "mobile", max_length=11, width=14),
    Column("职称系列", "series", required=True, max_length=50, help="如 工程；或系列代码"),
    Column("专业代码", "specialty", required=True, max_length=20, help="职称专业代码，如 080201"),
    Column("职称级别", "level", required=True, choices=ExpertLevel.choices, width=10),
    Column(
        "工作单位",
        "employer",
        required=True,
        max_length=200,
        help="机构名称或统一社会信用代码",
        width=30,
    ),
    Column("聘任期起", "term_start", required=True, parse=parse_date, help="如 2026-01-01"),
    Column("聘任期止", "term_end", required=True, parse=parse_date, help="不早于聘任期起"),
    Column(
        "专家账号",
        "username",
        max_length=150,
        unique=True,
        help="登录用户名；不填则自动生成（zj+编号）",
        width=16,
    ),
    Column("评委会名称", "committee", max_length=200, help="评委会账号导入时不填", width=30),
)


class _Rollback(Exception):
    pass


def _resolve(row: ImportRow, actor: User, series: dict[str, list[int]]) -> None:
    data = row.data
    matches = series.get(data["series"]) or series.get(data["series"].lower()) or []
    if len(matches) != 1:
        row.add_error(f"职称系列“{data['series']}”不存在或不唯一")
    else:
        data["series_id"] = matches[0]
    specialty = Specialty.objects.filter(code=data["specialty"]).first()
    if specialty is None:
        row.add_error(f"专业代码“{data['specialty']}”不存在")
    else:
        data["specialty_id"] = specialty.pk
    employers = list(
        Organization.objects.filter(name=data["employer"]).values_list("pk", flat=True)[:2]
    ) or list(Organization.objects.filter(uscc=data["employer"]).values_list("pk", flat=True))
    if len(employers) != 1:
        row.add_error(f"工作单位“{data['employer']}”不存在或不唯一")
    else:
        data["employer_id"] = employers[0]
    data["committee_id"] = None
    if not actor.is_committee:
        if not data["committee"]:
            row.add_error("请填写评委会名称")
        else:
            found = (
                scoped(Committee.objects.active(), actor)
                .filter(name=data["committee"])
                .values_list("pk", flat=True)
                .first()
            )
            if found is None:
                row.add_error(f"评委会“{data['committee']}”不存在或不在管辖范围内")
            data["committee_id"] = found


def _add(data: dict[str, Any], actor: User) -> services.ExpertAdded:
    return services.expert_add(
        actor=actor,
        committee=data["committee_id"],
        id_number=data["id_number"],
        name=data["name"],
        mobile=data["mobile"],
        series=TitleSeries.objects.get(pk=data["series_id"]),
        specialty=Specialty.objects.get(pk=data["specialty_id"]),
        level=data["level"],
        employer=Organization.objects.get(pk=data["employer_id"]),
        term_start=dt.date.fromisoformat(data["term_start"]),
        term_end=dt.date.fromisoformat(data["term_end"]),
        username=data["username"],
    )


def validate_rows(rows: list[ImportRow], actor: User, params: dict[str, str]) -> None:
    series = series_lookup()
    for row in rows:
        if not row.ok:
            continue
        _resolve(row, actor, series)
        if not row.ok:
            continue
        # The service is the one judge: run it and roll it back.
        try:
            with transaction.atomic():
                _add(row.data, actor)
                raise _Rollback
        except _Rollback:
            pass
        except ApplicationError as exc:
            row.add_error(error_messages(exc))


def commit(rows: list[dict[str, Any]], actor: User, params: dict[str, str]) -> int:
    for data in rows:
        _add(data, actor)
    return len(rows)


register_import(
    ImportSpec(
        key=IMPORT_KEY,
        title="专家库",
        permission="experts.add_expert",
        columns=IMPORT_COLUMNS,
        validate_rows=validate_rows,
        commit=commit,
        instructions=(
            "评委会账号导入本评委会的专家；人社经办须填写评委会名称（限本机构及下级管理的评委会）。",
            "每位新专家生成一个登录账号（角色：评审专家），初始密码请在专家详情页“重置密码”获取。",
        ),
    )
)

register_export(listing_export(EXPERTS))
register_export(listing_export(PANEL))
