"""Importing organizations: template, preview rules, commit into the tree, idempotency, audit."""

import datetime as dt
import io
import random
import threading

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from zhicheng.accounts.roles import Role
from zhicheng.common.errors import ApplicationError
from zhicheng.orgs import selectors
from zhicheng.orgs.demo import DEMO_ORGANIZATIONS
from zhicheng.orgs.models import Organization, OrgType, pinyin_initials
from zhicheng.orgs.services import (
    organization_create,
    organization_deregister,
    pinyin_initials_many,
)
from zhicheng.tabular import services
from zhicheng.tabular.models import ImportBatch, ImportStatus
from zhicheng.tabular.tests.conftest import build_xlsx, make_uscc, read_xlsx, upload


def preview(user, rows, **kwargs):
    return services.import_preview(
        actor=user, key="organizations", fileobj=upload(build_xlsx(rows)), **kwargs
    )


def tree_is_sound() -> bool:
    return all(not problems for problems in Organization.objects.find_problems())


# --- Template ---------------------------------------------------------------------------------


def test_the_template_has_marked_headers_a_type_dropdown_and_instructions(hr_city):
    buffer = io.BytesIO()
    services.import_template(actor=hr_city, key="organizations", fileobj=buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["机构", "代码表", "填写说明"]
    assert workbook["代码表"].sheet_state == "hidden"
    data = workbook["机构"]
    assert [c.value for c in data[1]] == [
        "机构名称*",
        "统一社会信用代码*",
        "机构类型*",
        "行政区划代码*",
        "上级机构统一社会信用代码*",
    ]
    validations = data.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "list"
    assert str(validations[0].sqref).startswith("C2:C")
    # One row per 机构类型 under the header (人事代理 included).
    assert validations[0].formula1 == f"'代码表'!$C$2:$C${len(OrgType.choices) + 1}"
    codes = [row[2] for row in read_xlsx(buffer.getvalue(), "代码表")[1:]]
    assert codes == [label for _value, label in OrgType.choices]
    guide = "\n".join(str(c) for row in read_xlsx(buffer.getvalue(), "填写说明") for c in row if c)
    assert "带 * 的为必填项" in guide and "上级机构统一社会信用代码" in guide


def test_a_filled_in_template_imports(hr_city, org_row):
    buffer = io.BytesIO()
    services.import_template(actor=hr_city, key="organizations", fileobj=buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    workbook["机构"].append(org_row(1))
    filled = io.BytesIO()
    workbook.save(filled)
    batch = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(filled.getvalue())
    )
    assert (batch.total, batch.valid_count) == (1, 1)


def test_only_holders_of_the_add_permission_may_import(orgs, make_user, applicant, org_row):
    viewer = make_user(orgs["dept_jn_it"], Role.EMPLOYER_OFFICER)
    for user in (viewer, applicant):
        with pytest.raises(PermissionDenied):
            preview(user, [org_row(1)])
        with pytest.raises(PermissionDenied):
            services.import_template(actor=user, key="organizations", fileobj=io.BytesIO())


# --- Preview ------------------------------------------------------------------------------


def test_preview_counts_and_reasons_per_failed_row(hr_city, org_row):
    bad_code = org_row(2)
    bad_code[1] = "91320115MA0000000X"
    bad_type = org_row(3, org_type="外星机构")
    missing = org_row(4, name="")
    missing[0] = ""
    bad_region = org_row(5)
    bad_region[3] = "3201"
    batch = preview(hr_city, [org_row(1), bad_code, bad_type, missing, bad_region])
    assert (batch.total, batch.valid_count, batch.invalid_count) == (5, 1, 4)
    reasons = {e["row"]: e["message"] for e in batch.errors}
    assert reasons[3] == "统一社会信用代码校验位错误"
    assert reasons[4].startswith("机构类型“外星机构”不是可选值")
    assert reasons[5] == "机构名称不能为空"
    assert reasons[6] == "行政区划代码应为6位数字"
    assert batch.errors[0]["values"] == [str(v) for v in bad_code]
    assert batch.status == ImportStatus.PREVIEWED
    assert Organization.objects.filter(uscc=make_uscc(1)).count() == 0  # preview writes nothing


def test_a_parent_may_be_listed_earlier_in_the_same_file(hr_city, org_row):
    parent = org_row(1, org_type="主管部门")
    child = org_row(2, parent=parent[1])
    grandchild = org_row(3, parent=child[1])
    batch = preview(hr_city, [parent, child, grandchild])
    assert batch.valid_count == 3


def test_a_parent_listed_later_in_the_file_is_refused(hr_city, org_row):
    parent = org_row(1)
    child = org_row(2, parent=parent[1])
    batch = preview(hr_city, [child, parent])
    assert batch.valid_count == 1
    assert batch.errors[0]["message"] == "上级机构须在本机构之前列出（见第3行）"


def test_a_child_of_a_failed_row_fails_with_its_parents_row_number(hr_city, org_row):
    parent = org_row(1)
    parent[3] = "bad"
    child = org_row(2, parent=parent[1])
    batch = preview(hr_city, [parent, child])
    assert batch.invalid_count == 2
    assert batch.errors[1]["message"] == "上级机构（第2行）未通过校验"


def test_a_parent_outside_the_importers_scope_looks_the_same_as_a_missing_one(
    hr_city, orgs, org_row
):
    outside = org_row(1, parent="county_wz")  # 苏州 is not under 南京
    nowhere = org_row(2, parent=make_uscc(999))
    batch = preview(hr_city, [outside, nowhere])
    assert [e["message"] for e in batch.errors] == ["上级机构不存在或不在您的管辖范围内"] * 2


def test_a_deregistered_parent_is_refused(hr_city, orgs, org_row):
    organization_deregister(actor=hr_city, organization=orgs["unit_k"])
    batch = preview(hr_city, [org_row(1, parent="unit_k")])
    assert batch.errors[0]["message"] == "上级机构已注销，不能在其下新增机构"


def test_a_row_may_not_be_its_own_parent(hr_city, org_row):
    row = org_row(1)
    row[4] = row[1]
    assert preview(hr_city, [row]).errors[0]["message"] == "上级机构不能是本机构"


# --- Commit -------------------------------------------------------------------------------


def test_commit_writes_exactly_the_valid_rows_into_the_tree(hr_city, orgs, org_row):
    county = Organization.objects.get(pk=orgs["county_jn"].pk)
    children_before = Organization.objects.get_children_count(county)
    dept = org_row(1, org_type="主管部门", name="南京市江宁区人力资源测试局")
    unit = org_row(2, parent=dept[1], name="江宁重庆银行支行")
    bad = org_row(3)
    bad[1] = "bad"
    batch = preview(hr_city, [dept, unit, bad])
    result = services.import_commit(actor=hr_city, batch=batch)

    assert (result.created, result.already_committed) == (2, False)
    new_dept = Organization.objects.get(uscc=dept[1])
    new_unit = Organization.objects.get(uscc=unit[1])
    assert Organization.objects.get_parent(new_dept) == county
    assert Organization.objects.get_parent(new_unit) == new_dept
    assert new_dept.numchild == 1 and new_unit.numchild == 0
    county.refresh_from_db()
    assert county.numchild == children_before + 1 == Organization.objects.get_children_count(county)
    assert new_dept.org_type == OrgType.COMPETENT_DEPT and new_dept.region_code == "320115"
    assert new_dept.name_initials == pinyin_initials(new_dept.name) == "njsjnqrlzycsj"
    assert new_unit.name_initials == pinyin_initials(new_unit.name)
    assert tree_is_sound()
    assert [o.uscc for o in selectors.organization_typeahead(user=hr_city, search="rlzycs")] == [
        dept[1]
    ]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert batch.committed_count == 2 and batch.committed_at is not None


def test_imported_nodes_and_later_single_inserts_share_the_tree_cleanly(hr_city, orgs, org_row):
    county = orgs["county_jn"]
    before = organization_create(
        actor=hr_city,
        parent=county,
        name="先建单位",
        uscc=make_uscc(500),
        org_type=OrgType.EMPLOYER,
        region_code="320115",
    )
    services.import_commit(
        actor=hr_city, batch=preview(hr_city, [org_row(1), org_row(2, parent="unit_a")])
    )
    after = organization_create(
        actor=hr_city,
        parent=Organization.objects.get(pk=county.pk),
        name="后建单位",
        uscc=make_uscc(501),
        org_type=OrgType.EMPLOYER,
        region_code="320115",
    )
    imported = Organization.objects.get(uscc=make_uscc(1))
    assert before.path < imported.path < after.path
    county.refresh_from_db()
    assert {c.uscc for c in Organization.objects.get_children(county)} >= {
        before.uscc,
        imported.uscc,
        after.uscc,
    }
    assert (
        Organization.objects.get_parent(Organization.objects.get(uscc=make_uscc(2)))
        == orgs["unit_a"]
    )
    assert tree_is_sound()


def test_commit_uses_a_fixed_number_of_queries_whatever_the_row_count(
    hr_city, orgs, django_assert_max_num_queries
):
    parents = [orgs[k].uscc for k in ("county_jn", "dept_jn_it", "dept_jn_edu", "unit_a")]
    rows = []
    for i in range(1500):
        parent = parents[i % 4] if i % 3 == 0 else make_uscc(i - 1)
        rows.append([f"批量单位{i}", make_uscc(i), "用人单位", "320115", parent])
    batch = preview(hr_city, rows)
    assert batch.valid_count == 1500
    with django_assert_max_num_queries(40):
        result = services.import_commit(actor=hr_city, batch=batch)
    assert result.created == 1500
    assert tree_is_sound()


def test_a_second_commit_of_the_same_batch_writes_nothing(hr_city, org_row):
    batch = preview(hr_city, [org_row(1), org_row(2)])
    services.import_commit(actor=hr_city, batch=batch)
    again = services.import_commit(actor=hr_city, batch=batch)
    assert (again.created, again.already_committed) == (0, True)
    assert Organization.objects.filter(uscc__in=[make_uscc(1), make_uscc(2)]).count() == 2
    assert LogEntry.objects.filter(additional_data__operation="import").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_commits_import_once(orgs, make_user, org_row):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite is one connection; the row lock is exercised on PostgreSQL")
    user = make_user(orgs["city_nj"], Role.HR_OFFICER)
    batch = preview(user, [org_row(i) for i in range(20)])
    results, barrier = [], threading.Barrier(2)

    def commit():
        barrier.wait()
        try:
            results.append(services.import_commit(actor=user, batch=batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.created for r in results) == [0, 20]
    assert Organization.objects.filter(name__startswith="导入测试单位").count() == 20


def test_commit_revalidates_and_writes_nothing_if_a_row_became_invalid(hr_city, orgs, org_row):
    rows = [org_row(1), org_row(2), org_row(3)]
    batch = preview(hr_city, rows)
    organization_create(  # someone registers row 3's code after the preview
        actor=hr_city,
        parent=orgs["county_jn"],
        name="抢先登记的单位",
        uscc=rows[1][1],
        org_type=OrgType.EMPLOYER,
        region_code="320115",
    )
    with pytest.raises(ApplicationError) as caught:
        services.import_commit(actor=hr_city, batch=batch)
    assert "第3行：统一社会信用代码已存在" in caught.value.message
    assert "本次未导入任何数据" in caught.value.message
    assert not Organization.objects.filter(uscc__in=[rows[0][1], rows[2][1]]).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED


def test_commit_refuses_when_the_parent_was_deregistered_after_the_preview(hr_city, orgs, org_row):
    batch = preview(hr_city, [org_row(1, parent="unit_k")])
    organization_deregister(actor=hr_city, organization=orgs["unit_k"])
    with pytest.raises(ApplicationError, match="上级机构已注销"):
        services.import_commit(actor=hr_city, batch=batch)
    assert not Organization.objects.filter(uscc=make_uscc(1)).exists()


def test_only_the_uploader_may_commit(hr_city, hr_province, org_row):
    batch = preview(hr_city, [org_row(1)])
    with pytest.raises(ApplicationError, match="只能提交本人上传的导入批次"):
        services.import_commit(actor=hr_province, batch=batch)


def test_a_preview_older_than_a_day_expires(hr_city, org_row):
    batch = preview(hr_city, [org_row(1)])
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    batch.refresh_from_db()
    with pytest.raises(ApplicationError, match="已过期"):
        services.import_commit(actor=hr_city, batch=batch)
    assert services.import_batches_expire() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.EXPIRED and batch.rows == []


def test_committed_batches_drop_their_row_copies_after_a_day(hr_city, org_row):
    batch = preview(hr_city, [org_row(1)])
    services.import_commit(actor=hr_city, batch=batch)
    services.import_batches_expire()
    batch.refresh_from_db()
    assert batch.rows != []
    ImportBatch.objects.filter(pk=batch.pk).update(
        committed_at=timezone.now() - dt.timedelta(hours=25)
    )
    services.import_batches_expire()
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.committed_count) == (ImportStatus.COMMITTED, [], 1)


def test_commit_records_an_import_operation_with_the_counts(hr_city, org_row):
    bad = org_row(3)
    bad[3] = "x"
    batch = preview(hr_city, [org_row(1), org_row(2), bad], file_name="机构名单.xlsx")
    services.import_commit(actor=hr_city, batch=batch)
    entry = LogEntry.objects.get(additional_data__operation="import")
    assert entry.actor == hr_city
    assert entry.object_pk == str(batch.pk)
    summary = entry.additional_data["summary"]
    assert "共3条" in summary and "成功导入2条" in summary and "校验失败1条" in summary
    assert "机构名单.xlsx" in summary


# --- Error file ---------------------------------------------------------------------------


def test_the_error_file_has_the_failed_rows_and_a_reason_column_and_imports_again(hr_city, org_row):
    bad = org_row(2)
    bad[3] = "3201"
    batch = preview(hr_city, [org_row(1), bad])
    buffer = io.BytesIO()
    services.import_error_file(actor=hr_city, batch=batch, fileobj=buffer)
    rows = read_xlsx(buffer.getvalue())
    assert rows[0][-1] == "错误原因"
    assert rows[1][:5] == [str(v) for v in bad]
    assert rows[1][5] == "第3行：行政区划代码应为6位数字"
    assert len(rows) == 2

    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    workbook.active["D2"] = "320115"  # the user fixes the cell and uploads the file again
    fixed = io.BytesIO()
    workbook.save(fixed)
    again = services.import_preview(
        actor=hr_city, key="organizations", fileobj=upload(fixed.getvalue())
    )
    assert (again.valid_count, again.invalid_count) == (1, 0)


# --- Bulk helpers -------------------------------------------------------------------------


def test_bulk_pinyin_initials_equal_the_models_name_by_name():
    names = [name for _k, _p, name, *_ in DEMO_ORGANIZATIONS]
    names += [
        "重庆长安汽车股份有限公司",
        "中国银行南京分行行长办公室",
        "ABC科技(南京)有限公司 2号楼",
    ]
    rng = random.Random(7)
    pool = "".join(names) + "乐长行重还藏曾单朝"
    names += ["".join(rng.sample(pool, 12)) for _ in range(300)]
    assert pinyin_initials_many(names) == [pinyin_initials(n) for n in names]
