"""The certificate lists, each declared once (page, export and API derive from them):
发证单位编码 (1.9), 证书编号库 (1.16), 证书发放 (1.17), 证书报送人社部 (1.18) and 证书查询 / 撤销 (1.20 / 1.19)."""

import dataclasses
from operator import attrgetter

from zhicheng.catalog.models import TitleLevel
from zhicheng.certificates import selectors
from zhicheng.certificates.models import (
    CertificateNumberStatus,
    CertificateStatus,
    IssuingUnitStatus,
    NationalReportKind,
    ReissueStatus,
)
from zhicheng.certificates.selectors import REPORT_STATUS_CHOICES
from zhicheng.common.listing import Col, Filter, Listing

ISSUING_UNITS = Listing(
    name="issuing-units",
    title="发证单位编码",
    permission="certificates.view_issuingunit",
    selector=selectors.issuing_unit_list,
    filters=(
        Filter("name", "单位名称", max_length=200),
        Filter("code", "编码", max_length=8, help_text="前缀匹配"),
        Filter("status", "状态", "choice", choices=IssuingUnitStatus.choices),
        Filter("organization", "机构编号", "int", arg="organization_id", page=False),
    ),
    columns=(
        Col("单位名称", "organization.name", link=True, width=36),
        Col("统一社会信用代码", "organization.uscc", width=22),
        Col("编码", "code", width=12),
        Col(
            "状态",
            template="certificates/_status_cell.html",
            field="status",
            choices=IssuingUnitStatus.choices,
            width=8,
        ),
        Col("注销原因", "deregister_reason", width=30),
        Col("注销人", field="deregistered_by__username", width=14, page=False),
        Col("注销时间", "deregistered_at", width=20),
        Col("创建时间", field="created_at", width=20, page=False),
    ),
)

CERTIFICATE_NUMBERS = Listing(
    name="certificate-numbers",
    title="证书编号库",
    permission="certificates.view_certificatenumber",
    selector=selectors.certificate_number_list,
    filters=(
        Filter("issuing_unit", "发证单位编号", "int", arg="issuing_unit_id", page=False),
        Filter("name", "发证单位名称", max_length=200),
        Filter("number", "证书编号", max_length=18, help_text="前缀匹配"),
        Filter("year", "年度", "int", minimum=1, maximum=9999),
        Filter("status", "状态", "choice", choices=CertificateNumberStatus.choices),
    ),
    columns=(
        Col("证书编号", "number", width=22),
        Col("发证单位", "issuing_unit.organization.name", width=36),
        Col("发证单位编码", "issuing_unit.code", width=14),
        Col("年度", "year", width=8),
        Col("序号", "sequence", width=10),
        Col(
            "状态",
            "get_status_display",
            "status",
            choices=CertificateNumberStatus.choices,
            width=8,
        ),
        Col("生成人", "batch.created_by", "batch__created_by__username", width=14),
        Col("生成时间", "batch.created_at", width=20),
    ),
)


def _issued_state(holding) -> str:
    """是否发放: 否, 是, 生成中, or 已撤销 (a revoked certificate is not issued again)."""
    certificate = getattr(holding, "certificate", None)
    if certificate is None:
        return "否"
    if certificate.status == CertificateStatus.PENDING:
        return "生成中"
    return "已撤销" if certificate.status == CertificateStatus.REVOKED else "是"


HOLDINGS_TO_ISSUE = Listing(
    name="certificate-issue",  # no export
    selector=selectors.holding_issue_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("title_name", "职称", max_length=100),
        Filter("issued", "是否发放", "choice", choices=(("0", "否"), ("1", "是"))),
    ),
    columns=(
        Col("选择", template="certificates/_issue_select_cell.html", css_class="col-seq"),
        Col("姓名", "person.name"),
        Col("职称", "title.name"),
        Col("级别", "get_level_display"),
        Col("取得方式", "get_acquisition_method_display"),
        Col("批准日期", "approved_on"),
        Col("批准机构", "approving_organization.name"),
        Col("是否发放", _issued_state),
        Col("证书", template="certificates/_certificate_cell.html"),
    ),
)

CERTIFICATES = Listing(
    name="certificates",
    title="职称证书",
    permission="certificates.view_certificate",
    selector=selectors.certificate_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("number", "证书编号", max_length=18, help_text="前缀匹配"),
        Filter("status", "状态", "choice", choices=CertificateStatus.choices),
        Filter("issuing_unit_name", "发证单位", max_length=200),
    ),
    columns=(
        Col("证书编号", "number.number", link=True, width=22),
        Col("姓名", "holding.person.name", width=12),
        Col("身份证号", field="holding__person__id_number", id_number=True, width=22, page=False),
        Col("职称", "holding.title.name", width=16),
        Col("级别", field="holding__level", choices=TitleLevel.choices, width=10, page=False),
        Col("专业", field="holding__specialty__name", width=20, page=False),
        Col("发证单位", "issuing_unit.organization.name", width=36),
        Col("发证时间", "issued_at", width=20),
        Col("状态", "get_status_display", "status", choices=CertificateStatus.choices, width=8),
        Col("撤销原因", "revoke_reason", width=30),
        Col("撤销时间", field="revoked_at", width=20, page=False),
    ),
)

# 导出: every certificate the query finds, counted whole.
CERTIFICATES_EXPORT = dataclasses.replace(CERTIFICATES, fixed={"capped": False})


def _report_status_display(certificate) -> str:
    status = getattr(certificate, "report_status", None)
    if status is None:
        return "未上报"
    return dict(REPORT_STATUS_CHOICES).get(status, status)


NATIONAL_REPORTS = Listing(
    name="national-reports",
    title="证书报送人社部",
    permission="certificates.view_certificate",
    selector=selectors.national_report_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("number", "证书编号", max_length=18, help_text="前缀匹配"),
        Filter("issuing_unit_name", "发证单位", max_length=200),
        Filter("issued_from", "发证日期起", "date"),
        Filter("issued_to", "发证日期止", "date"),
        Filter("report_status", "上报状态", "choice", choices=REPORT_STATUS_CHOICES),
    ),
    columns=(
        Col(
            "选择",
            template="certificates/_report_select_cell.html",
            css_class="col-seq",
            export=False,
        ),
        Col("证书编号", "number.number", width=22),
        Col("姓名", "holding.person.name", width=12),
        Col("身份证号", field="holding__person__id_number", id_number=True, width=22, page=False),
        Col("职称", "holding.title.name", width=16),
        Col("发证单位", "issuing_unit.organization.name", width=36),
        Col("发证时间", "issued_at", width=20),
        Col("证书状态", "get_status_display", "status", choices=CertificateStatus.choices, width=8),
        Col(
            "上报类型", field="report_kind", choices=NationalReportKind.choices, width=8, page=False
        ),
        Col(
            "上报状态",
            template="certificates/_report_status_cell.html",
            field="report_status",
            choices=REPORT_STATUS_CHOICES,
            width=8,
        ),
        Col("上报次数", "report_attempts", width=8),
        Col("最后错误", "report_error", width=40),
        Col("上报成功时间", "report_delivered_at", width=20),
    ),
)


def _masked_id_number(certificate) -> str:
    return certificate.holding.person.masked_id_number


# 证书遗失补发 (the issuing unit's officers) and 本单位人员证书 (employers).
REISSUES = Listing(
    name="certificate-reissues",
    title="证书补发",
    permission="certificates.view_certificatereissue",
    selector=selectors.reissue_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("number", "证书编号", max_length=18, help_text="前缀匹配"),
        Filter("status", "状态", "choice", choices=ReissueStatus.choices),
    ),
    columns=(
        Col("证书编号", "certificate.number.number", width=22),
        Col("姓名", "certificate.holding.person.name", width=12),
        Col("职称", "certificate.holding.title.name", width=16),
        Col("发证单位", "certificate.issuing_unit.organization.name", width=36),
        Col("补发原因", "reason", width=30),
        Col("申请时间", "requested_at", width=20),
        Col("状态", "get_status_display", "status", choices=ReissueStatus.choices, width=8),
        Col("补发份次", "copy", width=8),
        Col("办理意见", "opinion", width=30),
        Col("办理时间", "decided_at", width=20),
    ),
)

EMPLOYEE_CERTIFICATES = Listing(
    name="employee-certificates",
    title="本单位人员证书",
    permission="certificates.view_employee_certificate",
    selector=selectors.employee_certificate_list,
    filters=(
        Filter("name", "姓名", max_length=50),
        Filter("number", "证书编号", max_length=18, help_text="前缀匹配"),
        Filter("status", "状态", "choice", choices=CertificateStatus.choices),
    ),
    columns=(
        Col("证书编号", "number.number", width=22),
        Col("姓名", "holding.person.name", width=12),
        Col("身份证号", _masked_id_number, export=False),
        Col("身份证号", field="holding__person__id_number", id_number=True, width=22, page=False),
        Col(
            "单位",
            attrgetter("employer_name"),
            field="holding__application__employer__name",
            width=30,
        ),
        Col("职称", "holding.title.name", width=16),
        Col("级别", field="holding__level", choices=TitleLevel.choices, width=10),
        Col("专业", field="holding__specialty__name", width=20, page=False),
        Col("发证单位", "issuing_unit.organization.name", width=36),
        Col("发证时间", "issued_at", width=20),
        Col("状态", "get_status_display", "status", choices=CertificateStatus.choices, width=8),
    ),
)
