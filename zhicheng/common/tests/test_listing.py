"""One list declaration: the page form, the export spec and the API parameters derived from it."""

import datetime as dt

import pytest
from django.http import QueryDict

from zhicheng.common.errors import ApplicationError
from zhicheng.common.listing import Col, Filter, Listing, api_parameters
from zhicheng.tabular.engine import listing_export
from zhicheng.web.forms import listing_form

CALLS = []


def _selector(*, user, **kwargs):
    CALLS.append(kwargs)
    return FakeQuerySet(kwargs)


class FakeQuerySet(list):
    def __init__(self, kwargs):
        super().__init__()
        self.kwargs = kwargs
        self.narrowed = []

    def only_even(self, value):
        self.narrowed.append(value)
        return self


LIST = Listing(
    name="things",
    title="东西",
    permission="app.view_thing",
    selector=_selector,
    filters=(
        Filter("name", "名称", max_length=10),
        Filter("kind", "类型", "choice", choices=(("a", "甲"), ("b", "乙"))),
        Filter("year", "年度", "int", minimum=2000, maximum=2100),
        Filter("since", "起始日期", "date"),
        Filter("mine", "仅本人", "flag", page=False),
        Filter("owner", "所属", "int", arg="owner_id", page=False),
        Filter("scope", "范围", "choice", choices=(("all", "全部"),), default="all"),
        Filter("even", "偶数", "flag", narrow=lambda qs, v: qs.only_even(v), page=False),
    ),
    columns=(
        Col("名称", "name", link=True, width=30),
        Col("类型", "get_kind_display", "kind", choices=(("a", "甲"),), width=8),
        Col("内部编号", field="code", page=False),
        Col("页面专用", "note", export=False),
    ),
    fixed={"capped": False},
)


def params(text: str) -> QueryDict:
    return QueryDict(text)


def test_filters_read_non_empty_values_with_defaults():
    values = LIST.filters_from(params("name=+x+&kind=&year=2026&since=2026-01-02&mine=1"))
    assert values == {
        "name": "x",
        "year": 2026,
        "since": dt.date(2026, 1, 2),
        "mine": True,
        "scope": "all",
    }


@pytest.mark.parametrize("query", ["kind=c", "year=1999", "year=abc", "since=2026-13-01"])
def test_a_bad_value_is_ignored_on_pages_and_400_in_the_api(query):
    assert set(LIST.filters_from(params(query))) == {"scope"}
    with pytest.raises(ApplicationError):
        LIST.filters_from(params(query), strict=True)


def test_the_queryset_passes_keywords_narrows_and_keeps_fixed_ones():
    CALLS.clear()
    qs = LIST.from_params(None, params("owner=7&kind=a&even=true&capped=1"))
    assert CALLS == [{"owner_id": 7, "kind": "a", "scope": "all", "capped": False}]
    assert qs.narrowed == [True]


def test_the_page_form_has_the_page_filters_in_order():
    form = listing_form(LIST)(params("kind=b&year=1999"))
    assert list(form.fields) == ["name", "kind", "year", "since", "scope"]
    assert form.fields["kind"].choices[0] == ("", "全部")
    assert not form.is_valid()  # year out of range: the list page drops it
    assert form.filters() == {"kind": "b"}
    assert listing_form(LIST) is listing_form(LIST)


def test_the_export_has_the_export_columns_and_every_filter_label():
    spec = listing_export(LIST)
    assert [(c.header, c.field, c.width) for c in spec.columns] == [
        ("名称", "name", 30),
        ("类型", "kind", 8),
        ("内部编号", "code", 20),
    ]
    assert spec.filter_labels["owner"] == "所属"
    assert spec.describe_filters({"name": "x", "other": "y"}) == "名称=x"


def test_api_refuses_a_flag_that_is_neither_true_nor_false():
    flag = Filter("managed", "我管理的", "flag")
    assert flag.parse("true", strict=True) is True
    assert flag.parse("0", strict=True) is None
    assert flag.parse("null", strict=False) is None  # a page ignores it
    with pytest.raises(ApplicationError):
        flag.parse("null", strict=True)


def test_api_parameters_are_described_with_enums_and_bounds():
    by_name = {p.name: p for p in api_parameters(LIST)}
    assert by_name["kind"].enum == ["", "a", "b"]  # "" = no filter, as a page sends it
    assert by_name["kind"].description == "类型：a 甲，b 乙"
    assert by_name["year"].type == {
        "oneOf": [
            {"type": "integer", "minimum": 2000, "maximum": 2100},
            {"type": "string", "enum": [""]},
        ]
    }
    assert by_name["name"].description == "名称"
