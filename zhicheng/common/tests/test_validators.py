import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc as stdnum_uscc

from zhicheng.common.validators import (
    id_check_char,
    mask_id_number,
    mask_if_id_number,
    parse_id_number,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)


@pytest.mark.parametrize(
    "code",
    [
        "91110000802100433B",  # 百度在线网络技术（北京）有限公司
        "91440300708461136T",  # 华为技术有限公司
        "11100000000013127D",  # 国务院办公厅 (机关)
    ],
)
def test_real_uscc_codes_are_accepted(code):
    assert validate_uscc(code) == code


def test_letter_first_codes_are_accepted_though_stdnum_rejects_them():
    body = "N1320115MA1234567"
    code = body + uscc_check_char(body)
    assert validate_uscc(code) == code
    assert not stdnum_uscc.is_valid(code)


def test_uscc_is_normalised_to_upper_case():
    assert validate_uscc(" 91110000802100433b ") == "91110000802100433B"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000080210043", "18位"),
        ("91110000802100433A", "校验位"),
        ("9111000080210043IB", "非法字符"),
        ("91AB0000802100433B", "行政区划"),
        ("", "18位"),
    ],
)
def test_bad_uscc_codes_are_refused_with_the_reason(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert message in exc.value.messages[0]


def test_id_number_yields_birth_date_and_gender():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "女"
    male = "11010119900307123" + id_check_char("11010119900307123")
    assert parse_id_number(male).gender == "男"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("99010519491231002X", "行政区划"),
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "最后一位"),
    ],
)
def test_bad_id_numbers_are_refused_with_the_reason(number, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert message in exc.value.messages[0]


def test_lower_case_x_is_accepted():
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_mask_keeps_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("11010519491231002X", "110105********002X"),  # a user name that is a 身份证号
        ("11010519491231002x", "110105********002x"),
        ("王五（11010519491231002X）", "王五（110105********002X）"),
        (
            "用户名：11010519491231002X → 11010519491231002X",
            "用户名：110105********002X → 110105********002X",
        ),
        ("11010519491231002Y", "11010519491231002Y"),  # not a number at all
        ("110105194912310021", "110105194912310021"),  # wrong check character: not a 身份证号
        ("91110000802100433B", "91110000802100433B"),  # 统一社会信用代码
        ("a11010519491231002X", "a11010519491231002X"),  # part of a longer token
        ("hr_city", "hr_city"),
        ("", ""),
    ],
)
def test_mask_if_id_number_masks_valid_numbers_in_any_text(text, shown):
    assert mask_if_id_number(text) == shown


def test_mask_if_id_number_leaves_other_values_alone():
    assert mask_if_id_number(None) is None
    assert mask_if_id_number(110105194912310021) == 110105194912310021
