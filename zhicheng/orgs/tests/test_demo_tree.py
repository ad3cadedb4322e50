"""The demo tree written in one INSERT is the tree treebeard would have built row by row."""

import pytest

from zhicheng.orgs.demo import DEMO_ORGANIZATIONS, load_demo_organizations
from zhicheng.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_the_bulk_tree_is_a_valid_tree_after_an_existing_root():
    Organization.objects.add_root(
        {"name": "已有机构", "uscc": "91320100MA1AAAAA0X", "region_code": "320100"}
    )
    orgs = load_demo_organizations()
    assert len(orgs) == len(DEMO_ORGANIZATIONS) == Organization.objects.count() - 1
    assert all(not problems for problems in Organization.objects.find_problems())
    for key, parent_key, name, *_rest in DEMO_ORGANIZATIONS:
        node = Organization.objects.get(pk=orgs[key].pk)
        assert node.name == name and node.name_initials
        assert node.numchild == Organization.objects.get_children_count(node)
        parent = Organization.objects.get_parent(node)
        assert (parent.pk if parent else None) == (orgs[parent_key].pk if parent_key else None)
    # The tree goes on growing where treebeard expects it to.
    child = Organization.objects.add_child(
        orgs["dept_jn_it"],
        {"name": "南京江宁新公司", "uscc": "91320115MA1BBBBB1Y", "region_code": "320115"},
    )
    assert Organization.objects.get_parent(child).pk == orgs["dept_jn_it"].pk
    assert all(not problems for problems in Organization.objects.find_problems())


def test_loading_again_keeps_the_tree_and_fills_what_is_missing():
    first = load_demo_organizations()
    Organization.objects.filter(pk=first["unit_k"].pk).delete()
    Organization.objects.filter(pk=first["city_nj"].pk).update(numchild=1)
    again = load_demo_organizations()
    assert {key: node.pk for key, node in again.items() if key != "unit_k"} == {
        key: node.pk for key, node in first.items() if key != "unit_k"
    }
    unit_k = Organization.objects.get(pk=again["unit_k"].pk)
    assert Organization.objects.get_parent(unit_k).pk == first["city_nj"].pk
    assert all(not problems for problems in Organization.objects.find_problems())
