"""The import glue (draft → bulk check → row errors → bulk create) without a database."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from zhicheng.common.errors import ApplicationError
from zhicheng.tabular.engine import (
    Column,
    DraftImport,
    ImportRow,
    ImportSpec,
    check_drafts,
    refused_labels,
    register_import,
    unregister,
)


def rows(*datas, refused=()):
    made = [ImportRow(number=i + 2, values=[], data=dict(d)) for i, d in enumerate(datas)]
    for index in refused:
        made[index].add_error("格式不正确")
    return made


def test_check_drafts_drafts_valid_rows_only_and_marks_the_checks_messages_on_their_rows():
    file = rows({"code": "A"}, {"code": "B"}, {"code": "C"}, {"code": "D"}, refused=[1])
    seen = []

    def draft(row):
        if row.data["code"] == "C":
            raise ApplicationError("机构不存在")
        row.data["id"] = row.number
        return row.data["code"]

    def check(drafts):
        seen.append(list(drafts))
        return {0: "已存在", 1: ["名称重复", "账号重复"]}  # one message, or several

    assert check_drafts(file, draft, check) == ["A", "D"]
    assert seen == [["A", "D"]]
    assert [r.errors for r in file] == [
        ["已存在"],
        ["格式不正确"],
        ["机构不存在"],
        ["名称重复", "账号重复"],
    ]
    assert file[3].data["id"] == 5  # what the draft noted for the commit stays on the row


def test_check_drafts_turns_a_validation_error_of_the_draft_into_the_rows_message():
    file = rows({"code": "A"})

    def draft(row):
        raise ValidationError(["一", "二"])

    assert check_drafts(file, draft, lambda drafts: {}) == []
    assert file[0].errors == ["一；二"]


def test_refused_labels_name_the_first_refused_row_holding_each_value():
    file = rows({"code": "A"}, {"code": "B"}, {"code": "B"}, {"code": ""}, refused=[1, 2, 3])
    assert refused_labels(file, "code") == {"B": "第3行"}


@dataclass(frozen=True)
class Thing:
    code: str
    parent: str
    label: str = ""


def test_draft_import_checks_with_refused_codes_and_creates_from_the_row_data():
    calls = {}

    def check(*, actor, drafts, failed_codes):
        calls["check"] = (actor, drafts, failed_codes)
        return {1: "上级不存在"}

    def create(*, actor, drafts):
        calls["create"] = (actor, drafts)
        return ["x"] * len(drafts)

    hooks = DraftImport(draft=Thing, check=check, create=create, refused_key="code")
    file = rows(
        {"code": "A", "parent": "R"},
        {"code": "B", "parent": "Z"},
        {"code": "Z", "parent": "R"},
        refused=[2],
    )
    hooks.validate_rows(file, "actor", {})
    assert calls["check"] == (
        "actor",
        [Thing("A", "R", label="第2行"), Thing("B", "Z", label="第3行")],
        {"Z": "第4行"},
    )
    assert file[1].errors == ["上级不存在"]
    assert hooks.commit([{"code": "A", "parent": "R"}], "actor", {}) == 1
    assert calls["create"] == ("actor", [Thing("A", "R")])


def test_a_key_registered_again_must_say_the_same():
    def spec(title):
        return ImportSpec(
            key="test-again",
            title=title,
            permission="orgs.add_organization",
            columns=(Column("代码", "code"),),
            commit=lambda rows, actor, params: 0,  # a new function each time, as on a reload
        )

    try:
        register_import(spec("甲"))
        register_import(spec("甲"))
        with pytest.raises(ImproperlyConfigured, match="registered twice"):
            register_import(spec("乙"))
    finally:
        unregister("test-again")
