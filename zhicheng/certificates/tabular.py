"""导出查询结果 of 发证单位编码 (1.9) and of the 证书编号库 (1.16) through the shared Excel engine
(same filters and scope as their lists)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.catalog.models import TitleLevel
from zhicheng.certificates import selectors
from zhicheng.certificates.models import (
    Certificate,
    CertificateNumber,
    CertificateNumberStatus,
    CertificateStatus,
    IssuingUnit,
    IssuingUnitStatus,
)
from zhicheng.common.query import query_int, query_text
from zhicheng.tabular.engine import ExportColumn, ExportSpec, register_export

KEY = "issuing-units"

LIST_FILTERS = {"name": "单位名称", "code": "编码", "status": "状态"}


def export_queryset(user: User, params: Mapping[str, str]) -> QuerySet[IssuingUnit]:
    """The list's filters (API list and export share them): name, code, status, organization."""
    status = query_text(params, "status")
    return selectors.issuing_unit_list(
        user=user,
        name=query_text(params, "name"),
        code=query_text(params, "code"),
        status=status if status in IssuingUnitStatus.values else "",
        organization_id=query_int(params, "organization", label="机构编号"),
    )


register_export(
    ExportSpec(
        key=KEY,
        title="发证单位编码",
        permission="certificates.view_issuingunit",
        columns=(
            ExportColumn("单位名称", "organization__name", width=36),
            ExportColumn("统一社会信用代码", "organization__uscc", width=22),
            ExportColumn("编码", "code", width=12),
            ExportColumn("状态", "status", choices=IssuingUnitStatus.choices, width=8),
            ExportColumn("注销原因", "deregister_reason", width=30),
            ExportColumn("注销人", "deregistered_by__username", width=14),
            ExportColumn("注销时间", "deregistered_at", width=20),
            ExportColumn("创建时间", "created_at", width=20),
        ),
        queryset=export_queryset,
        filter_labels=LIST_FILTERS,
    )
)


NUMBERS_KEY = "certificate-numbers"

NUMBER_FILTERS = {
    "issuing_unit": "发证单位编号",
    "name": "发证单位名称",
    "number": "证书编号",
    "year": "年度",
    "status": "状态",
}


def number_queryset(user: User, params: Mapping[str, str]) -> QuerySet[CertificateNumber]:
    """The 证书编号库 list's filters (page, API list and export share them)."""
    status = query_text(params, "status")
    return selectors.certificate_number_list(
        user=user,
        issuing_unit_id=query_int(params, "issuing_unit", label="发证单位编号"),
        name=query_text(params, "name"),
        number=query_text(params, "number"),
        year=query_int(params, "year", label="年度", minimum=1, maximum=9999),
        status=status if status in CertificateNumberStatus.values else "",
    )


register_export(
    ExportSpec(
        key=NUMBERS_KEY,
        title="证书编号库",
        permission="certificates.view_certificatenumber",
        columns=(
            ExportColumn("证书编号", "number", width=22),
            ExportColumn("发证单位", "issuing_unit__organization__name", width=36),
            ExportColumn("发证单位编码", "issuing_unit__code", width=14),
            ExportColumn("年度", "year", width=8),
            ExportColumn("序号", "sequence", width=10),
            ExportColumn("状态", "status", choices=CertificateNumberStatus.choices, width=8),
            ExportColumn("生成人", "batch__created_by__username", width=14),
            ExportColumn("生成时间", "batch__created_at", width=20),
        ),
        queryset=number_queryset,
        filter_labels=NUMBER_FILTERS,
    )
)


CERTIFICATES_KEY = "certificates"


def certificate_queryset(user: User, params: Mapping[str, str]) -> QuerySet[Certificate]:
    """证书查询's filters (page and export share them)."""
    status = query_text(params, "status")
    return selectors.certificate_list(
        user=user,
        name=query_text(params, "name"),
        number=query_text(params, "number"),
        status=status if status in CertificateStatus.values else "",
        issuing_unit_name=query_text(params, "issuing_unit_name"),
    )


register_export(
    ExportSpec(
        key=CERTIFICATES_KEY,
        title="职称证书",
        permission="certificates.view_certificate",
        columns=(
            ExportColumn("证书编号", "number__number", width=22),
            ExportColumn("姓名", "holding__person__name", width=12),
            ExportColumn("身份证号", "holding__person__id_number", id_number=True, width=22),
            ExportColumn("职称", "holding__title__name", width=16),
            ExportColumn("级别", "holding__level", choices=TitleLevel.choices, width=10),
            ExportColumn("专业", "holding__specialty__name", width=20),
            ExportColumn("发证单位", "issuing_unit__organization__name", width=36),
            ExportColumn("发证时间", "issued_at", width=20),
            ExportColumn("状态", "status", choices=CertificateStatus.choices, width=8),
            ExportColumn("撤销原因", "revoke_reason", width=30),
            ExportColumn("撤销时间", "revoked_at", width=20),
        ),
        queryset=certificate_queryset,
        filter_labels={
            "name": "姓名",
            "number": "证书编号",
            "status": "状态",
            "issuing_unit_name": "发证单位",
        },
    )
)
