"""The engine with a throwaway module: page params, hooks, choices, failures inside commit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.template import Context, Template
from django.test import RequestFactory

from zhicheng.common.errors import ApplicationError
from zhicheng.tabular import services
from zhicheng.tabular.engine import (
    Column,
    ImportSpec,
    ParamField,
    cell_text,
    register_import,
    unregister,
)
from zhicheng.tabular.models import ImportStatus
from zhicheng.tabular.tests.conftest import build_xlsx, upload

LEVELS = (("senior", "高级"), ("intermediate", "中级"))
HEADERS = ["姓名*", "等级", "分数"]


class Recorder:
    def __init__(self):
        self.validated: list[tuple] = []
        self.committed: list[tuple] = []
        self.fail_with: Exception | None = None

    def validate_row(self, row, actor, params):
        self.validated.append((row.number, params))
        if row.data["name"] == "黑名单":
            raise ValidationError("该人员在黑名单中")

    def commit(self, rows, actor, params):
        if self.fail_with:
            raise self.fail_with
        self.committed.append((rows, params))
        return len(rows)


@pytest.fixture
def recorder():
    recorder = Recorder()
    spec = register_import(
        ImportSpec(
            key="test-people",
            title="人员",
            permission="orgs.add_organization",
            columns=(
                Column("姓名", "name", required=True),
                Column("等级", "level", choices=LEVELS),
                Column("分数", "score", parse=int),
            ),
            params=(ParamField("title_level", "职称等级", choices=LEVELS),),
            validate_row=recorder.validate_row,
            commit=recorder.commit,
        )
    )
    yield recorder
    unregister(spec.key)


def preview(user, rows, **params):
    return services.import_preview(
        actor=user,
        key="test-people",
        fileobj=upload(build_xlsx(rows, HEADERS)),
        params=params,
    )


def test_page_params_are_required_validated_and_passed_to_the_hooks(recorder, hr_city):
    with pytest.raises(ApplicationError, match="请选择职称等级"):
        preview(hr_city, [["张三", "高级", 90]])
    with pytest.raises(ApplicationError, match="职称等级的取值无效"):
        preview(hr_city, [["张三", "高级", 90]], title_level="董事长")
    batch = preview(hr_city, [["张三", "高级", 90]], title_level="senior")
    assert batch.params == {"title_level": "senior"}
    assert recorder.validated == [(2, {"title_level": "senior"})]
    services.import_commit(actor=hr_city, batch=batch)
    assert recorder.committed == [
        ([{"name": "张三", "level": "senior", "score": 90}], {"title_level": "senior"})
    ]


def test_choices_accept_the_label_or_the_stored_value_and_parse_errors_are_chinese(
    recorder, hr_city
):
    batch = preview(
        hr_city,
        [["甲", "中级", 1], ["乙", "intermediate", 2], ["丙", "特级", 3], ["丁", "", "九十"]],
        title_level="senior",
    )
    assert [r["data"]["level"] for r in batch.rows] == ["intermediate", "intermediate"]
    messages = [e["message"] for e in batch.errors]
    assert messages == ["等级“特级”不是可选值（可选：高级、中级）", "分数“九十”格式不正确"]


def test_the_row_hook_fails_rows_and_is_run_again_at_commit(recorder, hr_city):
    batch = preview(hr_city, [["张三", "", 1], ["黑名单", "", 2]], title_level="senior")
    assert batch.errors[0]["message"] == "该人员在黑名单中"
    recorder.validated.clear()
    services.import_commit(actor=hr_city, batch=batch)
    assert [number for number, _ in recorder.validated] == [2]


def test_a_refusal_inside_commit_changes_nothing(recorder, hr_city):
    batch = preview(hr_city, [["张三", "", 1]], title_level="senior")
    recorder.fail_with = ApplicationError("名额已满")
    with pytest.raises(ApplicationError, match="名额已满"):
        services.import_commit(actor=hr_city, batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_a_constraint_hit_inside_commit_becomes_a_clear_message(recorder, hr_city):
    batch = preview(hr_city, [["张三", "", 1]], title_level="senior")
    recorder.fail_with = IntegrityError("duplicate key")
    with pytest.raises(ApplicationError, match="提交时发现数据冲突"):
        services.import_commit(actor=hr_city, batch=batch)


def test_the_dialog_offers_the_page_params(recorder, hr_city):
    request = RequestFactory().get("/")
    request.user = hr_city
    html = Template(
        '{% include "tabular/_import_dialog.html" with importer_key="test-people" %}'
    ).render(Context({"request": request}))
    assert '<select class="form-select" name="title_level"' in html
    assert '<option value="senior">高级</option>' in html


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  甲  ", "甲"),
        (320115.0, "320115"),
        (1.5, "1.5"),
        (True, "是"),
    ],
)
def test_cells_are_read_as_the_text_typed(value, text):
    assert cell_text(value) == text


def test_cells_holding_dates_read_as_iso_dates():
    assert cell_text(dt.datetime(2026, 3, 1)) == "2026-03-01"
    assert cell_text(dt.date(2026, 3, 1)) == "2026-03-01"
