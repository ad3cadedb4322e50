"""The application tests' small world (unit_a's routes, 张伟 with a login) plus a unit
registration helper."""

import pytest

from zhicheng.applications.tests.conftest import (  # noqa: F401  (fixtures)
    draft,
    fast_password_hashing,
    make_applicant,
    private_media,
    submitted,
    upload,
    world,
)
from zhicheng.common.validators import uscc_check_char
from zhicheng.units import services

UNIT_PASSWORD = "Unit@2026pw"


def new_uscc(body: str = "MA1TEK701", region: str = "320115", prefix: str = "91") -> str:
    first17 = prefix + region + body
    return first17 + uscc_check_char(first17)


@pytest.fixture
def register(orgs):
    """register(uscc=…, competent=orgs key …): a pending 单位注册 through the service."""

    def make(uscc: str | None = None, competent: str = "dept_jn_it", **overrides):
        fields = {
            "uscc": uscc or new_uscc(),
            "name": "南京江宁测试科技有限公司",
            "contact_name": "刘洋",
            "contact_phone": "025-52101234",
            "competent": orgs[competent],
            "password": UNIT_PASSWORD,
            **overrides,
        }
        return services.unit_register(**fields)

    return make
