"""ListPageView as a module configures it: columns, actions, filters, pagination, HTMX."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django_htmx.middleware import HtmxDetails

from zhicheng.orgs import selectors
from zhicheng.orgs.models import OrgType
from zhicheng.web.forms import QueryForm
from zhicheng.web.views_list import Column, ListPageView, RowAction


class TypeFilter(QueryForm):
    org_type = forms.ChoiceField(label="机构类型", choices=[("", "全部"), *OrgType.choices])


class DemoList(ListPageView):
    title = "演示列表"
    permission_required = "orgs.view_organization"
    selector = selectors.organization_list
    filter_form_class = TypeFilter
    paginate_by = 3
    page_size_choices = (3, 5)
    columns = (
        Column("名称", "name", link=True),
        Column("上级层级", lambda o: o.depth - 1),
        Column("类型", "get_org_type_display"),
        Column("无此属性", "no.such.attr"),
    )
    row_actions = (
        RowAction("详情", "orgs:organization-detail"),
        RowAction("删除", "orgs:organization-deregister", "orgs.delete_organization", "post"),
        RowAction(
            "注销", "orgs:organization-deregister", method="post", confirm="注销{obj}？",
            visible=lambda o: o.org_type == OrgType.EMPLOYER,
        ),
    )  # fmt: skip


def render(rf, user, query="", htmx=False, extra=None):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-results"} if htmx else {}
    headers.update(extra or {})
    request = rf.get(f"/demo/?{query}", **headers)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    response = DemoList.as_view()(request)
    response.render()
    return response, response.context_data


def test_columns_accessors_and_links(rf, hr_city, orgs):
    _response, ctx = render(rf, hr_city)
    first = ctx["rows"][0]
    assert [c.value for c in first.cells] == [orgs["city_nj"].name, 1, "人社部门", ""]
    assert first.cells[0].url == f"/orgs/{orgs['city_nj'].pk}/"
    assert first.cells[1].url == ""


def test_actions_are_filtered_by_permission_and_visibility(rf, hr_city, orgs):
    _response, ctx = render(rf, hr_city, "org_type=employer")
    labels = {a.action.label for a in ctx["rows"][0].actions}
    assert labels == {"详情", "注销"}  # no orgs.delete_organization permission
    assert ctx["rows"][0].actions[1].confirm == f"注销{ctx['rows'][0].obj.name}？"
    _response, ctx = render(rf, hr_city, "org_type=hr_bureau")
    assert {a.action.label for a in ctx["rows"][0].actions} == {"详情"}


def test_pagination_uses_the_page_size_and_clamps_bad_pages(rf, hr_city, orgs):
    _r, ctx = render(rf, hr_city)
    assert (ctx["paginator"].count, ctx["paginator"].num_pages, len(ctx["rows"])) == (10, 4, 3)
    _r, ctx = render(rf, hr_city, "page=99")
    assert ctx["page_obj"].number == 4 and len(ctx["rows"]) == 1
    _r, ctx = render(rf, hr_city, "page=abc")
    assert ctx["page_obj"].number == 1
    _r, ctx = render(rf, hr_city, "page_size=5")
    assert len(ctx["rows"]) == 5
    _r, ctx = render(rf, hr_city, "page_size=100000")
    assert len(ctx["rows"]) == 3


def test_pagination_links_keep_the_filters(rf, hr_city, orgs):
    response, ctx = render(rf, hr_city, "org_type=employer&page=2")
    assert ctx["page_query"] == "org_type=employer"
    assert "?org_type=employer&amp;page=1&amp;page_size=3" in response.content.decode()


def test_an_invalid_filter_value_is_shown_and_ignored(rf, hr_city, orgs):
    response, ctx = render(rf, hr_city, "org_type=bogus")
    assert ctx["filter_form"].errors["org_type"]
    assert ctx["paginator"].count == 10


def test_htmx_renders_only_the_results_partial(rf, hr_city, orgs):
    response, _ctx = render(rf, hr_city, "org_type=employer", htmx=True)
    assert response.template_name == ["web/_table.html"]


@pytest.mark.parametrize(
    "extra",
    [{"HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}, {"HTTP_HX_BOOSTED": "true"},
     {"HTTP_HX_TARGET": "somewhere-else"}],
)  # fmt: skip
def test_htmx_navigation_and_history_restore_get_the_whole_page(rf, hr_city, orgs, extra):
    response, _ctx = render(rf, hr_city, htmx=True, extra=extra)
    assert response.template_name == ["web/_list_page.html"]


def test_empty_state(rf, applicant, orgs):
    applicant.has_perm = lambda perm, obj=None: (
        True
    )  # scope still hides everything: deny by default
    response, ctx = render(rf, applicant)
    assert ctx["rows"] == []
    assert "暂无数据" in response.content.decode()


def test_a_user_without_the_page_permission_is_refused(rf, orgs, make_user):
    from django.core.exceptions import PermissionDenied

    from zhicheng.accounts.roles import Role

    committee = make_user(orgs["organizer_eng"], Role.COMMITTEE, username="t_committee")
    with pytest.raises(PermissionDenied):
        render(rf, committee)


def test_selector_may_be_a_staticmethod():
    class WithStatic(DemoList):
        selector = staticmethod(lambda *, user, **f: SimpleNamespace(user=user, f=f))

    view = WithStatic()
    view.request = SimpleNamespace(user="u")
    assert view.get_queryset({"a": 1}).f == {"a": 1}
