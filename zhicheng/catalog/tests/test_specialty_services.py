"""1.1 职称专业管理 through the services: add under a node, edit, delete with reasons, scope."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.applications.models import Application
from zhicheng.catalog import selectors, services
from zhicheng.catalog.models import Specialty, Title
from zhicheng.common.errors import ApplicationError
from zhicheng.common.usage import register_usage_check, usages


def test_hr_officer_adds_a_specialty_under_the_selected_node(hr_city, orgs, mech):
    node = services.specialty_create(actor=hr_city, parent=mech, code="080299", name="智能制造")
    assert Specialty.objects.get_parent(node) == mech
    assert node.depth == 3
    assert node.owner_organization == orgs["city_nj"]
    assert Specialty.objects.get(pk=mech.pk).numchild == mech.numchild + 1


def test_a_top_level_category_cannot_be_added(hr_province):
    before = Specialty.objects.count()
    with pytest.raises(ApplicationError, match="栏目大类随系统提供，不能新增"):
        services.specialty_create(actor=hr_province, parent=None, code="99", name="新门类")
    assert Specialty.objects.count() == before


def test_a_duplicate_code_is_refused_naming_the_node_that_has_it(hr_city, mech):
    before = Specialty.objects.count()
    with pytest.raises(ApplicationError, match="专业代码“080201”已被“机械制造及其自动化”使用"):
        services.specialty_create(actor=hr_city, parent=mech, code="080201", name="重复")
    assert Specialty.objects.count() == before


@pytest.mark.parametrize(
    ("code", "name", "message"),
    [
        ("", "名称", "请填写专业代码"),
        ("  ", "名称", "请填写专业代码"),
        ("0802 99", "名称", "代码只能由字母、数字"),
        ("专业01", "名称", "代码只能由字母、数字"),
        ("X" * 21, "名称", "代码只能由字母、数字"),
        ("080299", "", "请填写专业学科名称"),
        ("080299", "名" * 101, "不超过 100"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(hr_city, mech, code, name, message):
    before = Specialty.objects.count()
    with pytest.raises(ApplicationError, match=message):
        services.specialty_create(actor=hr_city, parent=mech, code=code, name=name)
    assert Specialty.objects.count() == before


def test_an_officer_edits_code_and_name_of_their_own_specialty(hr_city, city_specialty):
    node = services.specialty_update(
        actor=hr_city, specialty=city_specialty, code="080298", name="智能装备"
    )
    node.refresh_from_db()
    assert (node.code, node.name) == ("080298", "智能装备")


def test_editing_to_a_code_in_use_is_refused_and_nothing_changes(hr_city, city_specialty):
    with pytest.raises(ApplicationError, match="已被“机械工程”使用"):
        services.specialty_update(actor=hr_city, specialty=city_specialty, code="0802")
    city_specialty.refresh_from_db()
    assert city_specialty.code == "080299"


def test_the_province_bureau_maintains_standard_nodes_but_not_the_fixed_categories(
    hr_province, mech
):
    services.specialty_update(actor=hr_province, specialty=mech, name="机械工程学")
    assert Specialty.objects.get(pk=mech.pk).name == "机械工程学"
    category = Specialty.objects.get(code="08")
    with pytest.raises(ApplicationError, match="栏目大类随系统提供"):
        services.specialty_update(actor=hr_province, specialty=category, name="工学X")
    assert Specialty.objects.get(code="08").name == "工学"


def test_a_city_bureau_cannot_edit_standard_or_another_citys_nodes(
    hr_city, hr_suzhou, mech, city_specialty
):
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.specialty_update(actor=hr_city, specialty=mech, name="改名")
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.specialty_update(actor=hr_suzhou, specialty=city_specialty, name="改名")
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.specialty_delete(actor=hr_suzhou, specialty=city_specialty)
    assert Specialty.objects.get(pk=mech.pk).name == "机械工程"
    assert Specialty.objects.filter(pk=city_specialty.pk).exists()


def test_a_city_bureau_cannot_add_under_another_citys_node(hr_suzhou, city_specialty):
    with pytest.raises(ApplicationError, match="上级节点由其他机构维护"):
        services.specialty_create(actor=hr_suzhou, parent=city_specialty, code="X1", name="子")


def test_the_province_bureau_manages_nodes_a_city_added(hr_province, city_specialty):
    services.specialty_update(actor=hr_province, specialty=city_specialty, name="省里改的")
    services.specialty_delete(actor=hr_province, specialty=city_specialty)
    assert not Specialty.objects.filter(pk=city_specialty.pk).exists()


def test_an_employer_officer_without_the_permission_cannot_add(employer_officer, mech):
    with pytest.raises(ApplicationError, match="没有执行此操作的权限"):
        services.specialty_create(actor=employer_officer, parent=mech, code="A1", name="x")


def test_deleting_a_leaf_removes_it_updates_the_parent_and_is_logged(hr_city, mech, city_specialty):
    parent_children = Specialty.objects.get(pk=mech.pk).numchild
    services.specialty_delete(actor=hr_city, specialty=city_specialty)
    assert not Specialty.objects.filter(code="080299").exists()
    assert Specialty.objects.get(pk=mech.pk).numchild == parent_children - 1
    entry = LogEntry.objects.filter(additional_data__operation="delete").latest("timestamp")
    assert entry.actor == hr_city
    assert "080299" in entry.object_repr


def test_a_node_with_children_cannot_be_deleted(hr_province, mech):
    with pytest.raises(ApplicationError, match="该专业下还有 4 个下级专业，请先删除下级专业"):
        services.specialty_delete(actor=hr_province, specialty=mech)
    assert Specialty.objects.filter(pk=mech.pk).exists()


def test_a_category_cannot_be_deleted(hr_province):
    category = Specialty.objects.get(code="14")
    services.specialty_delete(actor=hr_province, specialty=Specialty.objects.get(code="1401"))
    with pytest.raises(ApplicationError, match="栏目大类随系统提供，不能删除"):
        services.specialty_delete(actor=hr_province, specialty=category)


def test_a_specialty_a_committee_reviews_cannot_be_deleted(hr_city, city_specialty, make_committee):
    make_committee(city_specialty)
    assert usages(city_specialty) == ["评审专业 1 条"]
    with pytest.raises(ApplicationError, match="该专业已被使用（评审专业 1 条），不能删除"):
        services.specialty_delete(actor=hr_city, specialty=city_specialty)
    assert Specialty.objects.filter(pk=city_specialty.pk).exists()


def test_a_specialty_someone_applied_for_cannot_be_deleted(
    hr_city, city_specialty, make_application
):
    application = make_application(Title.objects.get(name="助理工程师"), city_specialty)
    assert usages(city_specialty) == ["职称申报 1 条"]
    with pytest.raises(ApplicationError, match=r"该专业已被使用（职称申报 1 条），不能删除"):
        services.specialty_delete(actor=hr_city, specialty=city_specialty)
    assert Specialty.objects.filter(pk=city_specialty.pk).exists()
    assert Application.objects.filter(pk=application.pk, specialty=city_specialty).exists()


def test_later_apps_extend_the_usage_check(hr_city, city_specialty, monkeypatch):
    from zhicheng.common import usage

    monkeypatch.setattr(usage, "_EXTRA_CHECKS", {})
    register_usage_check(Specialty, lambda s: ["证书 2 条"] if s.code == "080299" else [])
    with pytest.raises(ApplicationError, match="证书 2 条"):
        services.specialty_delete(actor=hr_city, specialty=city_specialty)
    assert Specialty.objects.filter(pk=city_specialty.pk).exists()


def test_children_load_one_level_at_a_time(hr_city, mech):
    roots = selectors.specialty_children(user=hr_city)
    assert all(node.depth == 1 for node in roots)
    children = list(selectors.specialty_children(user=hr_city, parent=mech))
    assert [c.code for c in children] == ["080201", "080202", "080203", "080204"]


def test_search_by_code_or_name_shows_each_match_with_its_ancestor_path(hr_city):
    by_name = selectors.specialty_search(user=hr_city, term="岩土")
    assert [n.code for n in by_name] == ["081401"]
    assert [a.name for a in by_name[0].ancestors] == ["工学", "土木工程"]
    by_code = selectors.specialty_search(user=hr_city, term="0812")
    assert [n.code for n in by_code] == ["0812", "081201", "081202", "081203"]
    assert [a.code for a in by_code[1].ancestors] == ["08", "0812"]


def test_anonymous_and_inactive_users_read_nothing(hr_city):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.specialty_children(user=AnonymousUser()).exists()
    hr_city.is_active = False
    assert selectors.specialty_search(user=hr_city, term="工") == []


def _bulk_tree(total: int) -> Specialty:
    """A branch of ``total`` nodes: 100 children under a new node, each with 99 children."""
    from zhicheng.catalog.standard import int2str

    root = Specialty.objects.get(code="08")
    base = Specialty.objects.add_child(root, instance=Specialty(code="BIG", name="大树"))
    rows = []
    for i in range(1, 101):
        p = base.path + int2str(i)
        rows.append(
            Specialty(code=f"B{i}", name=f"分支{i}", path=p, depth=base.depth + 1, numchild=99)
        )
        for j in range(1, 100):
            rows.append(
                Specialty(
                    code=f"B{i}-{j}",
                    name=f"叶子{i}-{j}",
                    path=p + int2str(j),
                    depth=base.depth + 2,
                )
            )
    Specialty.objects.bulk_create(rows[: total - 1], batch_size=2000)
    Specialty.objects.filter(pk=base.pk).update(numchild=100)
    return base


def test_a_tree_of_10000_nodes_expands_and_searches_in_constant_queries(hr_city):
    base = _bulk_tree(10_000)
    assert Specialty.objects.count() > 10_000
    branch = Specialty.objects.get(code="B50")
    with CaptureQueriesContext(connection) as ctx:
        children = list(selectors.specialty_children(user=hr_city, parent=branch))
        found = selectors.specialty_search(user=hr_city, term="叶子77-")
    assert len(children) == 99
    assert len(found) == selectors.SEARCH_LIMIT
    assert [a.code for a in found[0].ancestors] == ["08", "BIG", "B77"]
    assert len(ctx.captured_queries) == 3
    assert Specialty.objects.get(pk=base.pk).numchild == 100


def test_codes_are_case_insensitive_and_stored_in_upper_case(hr_city, mech):
    node = services.specialty_create(actor=hr_city, parent=mech, code=" ab-1 ", name="试验")
    assert node.code == "AB-1"
    with pytest.raises(ApplicationError, match="专业代码“AB-1”已被“试验”使用"):
        services.specialty_create(actor=hr_city, parent=mech, code="ab-1", name="再试")


def draft(code, name, parent, n):
    return services.SpecialtyDraft(code=code, name=name, parent_code=parent, label=f"第{n}行")


def test_bulk_check_reports_each_bad_row_with_its_reason(hr_suzhou, city_specialty):
    drafts = [
        draft("0802A", "新专业", "0802", 2),
        draft("0802A1", "子专业", "0802a", 3),  # parent is row 2, case-insensitive
        draft("0802B1", "父在后面", "0802B", 4),
        draft("0802B", "后面的父", "0802", 5),
        draft("0802A", "重复", "0802", 6),
        draft("081201", "已存在", "0812", 7),
        draft("0802C", "别人的父", "080299", 8),
        draft("0802D", "自己", "0802D", 9),
    ]
    errors = services.specialty_bulk_check(actor=hr_suzhou, drafts=drafts)
    assert errors == {
        2: "上级专业代码“0802B”不存在（须为已有专业或本文件中前面的行）",
        4: "专业代码“0802A”与第2行重复",
        5: "专业代码“081201”已被“计算机系统结构”使用",
        6: "上级专业“080299”由其他机构维护，不能在其下新增专业",
        7: "上级专业代码不能是本专业自己的代码",
    }


def test_bulk_create_writes_a_consistent_tree_or_nothing(hr_city, mech):
    before = Specialty.objects.count()
    with pytest.raises(ApplicationError, match="第3行：上级专业代码“NOPE”不存在"):
        services.specialty_bulk_create(
            actor=hr_city, drafts=[draft("0802X", "甲", "0802", 2), draft("0802Y", "乙", "NOPE", 3)]
        )
    assert Specialty.objects.count() == before
    created = services.specialty_bulk_create(
        actor=hr_city,
        drafts=[
            draft("0802x", "甲", "0802", 2),
            draft("0802X1", "甲一", "0802X", 3),
            draft("0802Y", "乙", "08", 4),
        ],
    )
    assert [n.code for n in created] == ["0802X", "0802X1", "0802Y"]
    assert all(not problems for problems in Specialty.objects.find_problems())
    x = Specialty.objects.get(code="0802X")
    assert [c.code for c in Specialty.objects.get_children(x)] == ["0802X1"]
    assert Specialty.objects.get(pk=mech.pk).numchild == mech.numchild + 1
    # Single inserts after a bulk import continue the numbering.
    services.specialty_create(actor=hr_city, parent=mech, code="0802Z", name="丙")
    assert all(not problems for problems in Specialty.objects.find_problems())
