import pytest

from zhicheng.common.errors import ApplicationError, full_clean_or_raise
from zhicheng.orgs.models import Organization


def test_full_clean_or_raise_gives_one_chinese_message_and_the_field_errors():
    org = Organization(name="", uscc="123", org_type="employer", region_code="12")
    with pytest.raises(ApplicationError) as exc:
        full_clean_or_raise(org, exclude=["path", "depth", "numchild"])
    assert "统一社会信用代码应为18位" in exc.value.message
    assert "行政区划代码应为6位数字" in exc.value.message
    assert set(exc.value.extra["errors"]) >= {"name", "uscc", "region_code"}
