"""The shared query-string parser: ids within the bigint range, NUL-free bounded text."""

import pytest
from django.http import QueryDict

from zhicheng.common.errors import ApplicationError
from zhicheng.common.query import (
    ID_MAX,
    query_flag,
    query_int,
    query_int_or_none,
    query_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("organization=12", 12),
        ("organization=", None),
        ("", None),
        (f"organization={ID_MAX}", ID_MAX),
    ],
)
def test_query_int_reads_an_id_or_nothing(raw, expected):
    assert query_int(QueryDict(raw), "organization") == expected


@pytest.mark.parametrize(
    "value",
    ["abc", "1.5", "-1", "0", "99999999999999999999", str(ID_MAX + 1), "１２", "1e3"],
)
def test_query_int_refuses_what_is_not_an_id_in_chinese(value):
    with pytest.raises(ApplicationError, match="上级机构编号"):
        query_int({"superior": value}, "superior", label="上级机构编号")


def test_pages_ignore_a_bad_id():
    assert query_int_or_none({"superior": "abc"}, "superior") is None
    assert query_int_or_none({"superior": "7"}, "superior") == 7


def test_query_text_drops_nul_characters_and_bounds_the_length():
    assert query_text({"name": " 南京\x00软件 "}, "name") == "南京软件"
    assert query_text({"name": "长" * 5000}, "name") == "长" * 200
    assert query_text({}, "name") == ""


def test_query_flag():
    assert query_flag({"top": "1"}, "top") and query_flag({"top": "true"}, "top")
    assert not query_flag({"top": "yes"}, "top") and not query_flag({}, "top")
