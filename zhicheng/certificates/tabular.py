"""导出查询结果 of 发证单位编码 (1.9), of the 证书编号库 (1.16), of 证书查询 (1.20) and of
证书报送人社部 (1.18) through the shared Excel engine (``listings``)."""

from zhicheng.certificates.listings import (
    CERTIFICATE_NUMBERS,
    CERTIFICATES,
    CERTIFICATES_EXPORT,
    EMPLOYEE_CERTIFICATES,
    ISSUING_UNITS,
    NATIONAL_REPORTS,
    REISSUES,
)
from zhicheng.tabular.engine import listing_export, register_export

KEY = ISSUING_UNITS.name
NUMBERS_KEY = CERTIFICATE_NUMBERS.name
CERTIFICATES_KEY = CERTIFICATES.name

NATIONAL_REPORTS_KEY = NATIONAL_REPORTS.name

for _listing in (
    ISSUING_UNITS,
    CERTIFICATE_NUMBERS,
    CERTIFICATES_EXPORT,
    NATIONAL_REPORTS,
    REISSUES,
    EMPLOYEE_CERTIFICATES,
):
    register_export(listing_export(_listing))
