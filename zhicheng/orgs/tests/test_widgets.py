"""OrganizationTypeaheadField: renders the typeahead, cleans to an organization in scope."""

import pytest
from django import forms

from zhicheng.orgs import services
from zhicheng.orgs.models import OrgType
from zhicheng.orgs.widgets import OrganizationTypeaheadField
from zhicheng.web.forms import BaseForm


class PickForm(BaseForm):
    unit = OrganizationTypeaheadField(label="用人单位")
    dept = OrganizationTypeaheadField(
        label="主管部门", org_type=OrgType.COMPETENT_DEPT, required=False
    )
    note = forms.CharField(label="备注", required=False)


def test_an_organization_in_scope_is_accepted(hr_city, orgs):
    form = PickForm({"unit": str(orgs["unit_a"].pk)}, user=hr_city)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == orgs["unit_a"]
    assert form.cleaned_data["dept"] is None


@pytest.mark.parametrize("value", ["out_of_scope", "999999", "abc", "1 OR 1=1"])
def test_an_out_of_scope_missing_or_garbage_id_is_refused_alike(hr_city, orgs, value):
    raw = str(orgs["unit_f"].pk) if value == "out_of_scope" else value
    form = PickForm({"unit": raw}, user=hr_city)
    assert not form.is_valid()
    assert form.errors["unit"] == ["机构不存在或不在管辖范围内"]


def test_without_a_user_nothing_is_in_scope(orgs):
    form = PickForm({"unit": str(orgs["unit_a"].pk)})
    assert not form.is_valid()


def test_a_deregistered_organization_is_refused(hr_city, orgs):
    services.organization_deregister(actor=hr_city, organization=orgs["unit_a"])
    form = PickForm({"unit": str(orgs["unit_a"].pk)}, user=hr_city)
    assert form.errors["unit"] == ["所选机构已注销"]


def test_the_org_type_restriction_is_enforced(hr_city, orgs):
    form = PickForm({"unit": orgs["unit_a"].pk, "dept": orgs["unit_b"].pk}, user=hr_city)
    assert form.errors["dept"] == ["请选择机构类型为“主管部门”的机构"]


def test_required_is_enforced(hr_city, orgs):
    form = PickForm({"unit": ""}, user=hr_city)
    assert "unit" in form.errors


def test_renders_the_typeahead_with_the_initial_organization(hr_city, orgs):
    form = PickForm(initial={"unit": orgs["unit_a"]}, user=hr_city)
    html = str(form["unit"])
    assert 'name="unit"' in html and f'value="{orgs["unit_a"].pk}"' in html
    assert orgs["unit_a"].name in html
    assert 'data-url="/api/v1/organizations/"' in html
    dept = str(form["dept"])
    assert 'data-org-type="competent_dept"' in dept
    # Two widgets on a page have distinct ids; the label points at the visible text box.
    assert 'id="id_unit_search"' in html and 'id="id_dept_search"' in dept
    assert form["unit"].id_for_label == "id_unit_search"


def test_a_bound_out_of_scope_id_does_not_leak_its_name(hr_city, orgs):
    form = PickForm({"unit": str(orgs["unit_f"].pk)}, user=hr_city)
    form.is_valid()
    html = str(form["unit"])
    assert orgs["unit_f"].name not in html
    assert "is-invalid" in html


def test_the_include_renders_without_a_form(rf, hr_city):
    from django.template import Context, Template

    html = Template(
        '{% include "web/_org_typeahead.html" with name="parent" label="上级机构" required=True %}'
    ).render(Context({}))
    assert '<span class="required-mark">*</span>上级机构' in html
    assert 'name="parent"' in html and 'id="parent_search"' in html
