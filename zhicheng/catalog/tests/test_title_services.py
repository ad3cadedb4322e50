"""1.2 职称树管理 through the services: titles under a series, unique name, scope, deletion."""

import pytest
from auditlog.models import LogEntry

from zhicheng.applications.models import Application
from zhicheng.catalog import selectors, services
from zhicheng.catalog.models import Specialty, Title, TitleLevel, TitleSeries
from zhicheng.common.errors import ApplicationError


@pytest.fixture
def city_title(hr_city, engineering):
    return services.title_create(
        actor=hr_city, series=engineering, level=TitleLevel.INTERMEDIATE, name="工程师（智能制造）"
    )


def test_an_officer_adds_a_title_choosing_its_level(hr_city, orgs, engineering):
    title = services.title_create(
        actor=hr_city, series=engineering, level=TitleLevel.SENIOR_DEPUTY, name="高级工程师（试点）"
    )
    assert title.series == engineering
    assert title.get_level_display() == "副高级"
    assert title.owner_organization == orgs["city_nj"]


def test_a_title_name_is_unique_within_its_series(hr_city, engineering):
    before = Title.objects.count()
    with pytest.raises(ApplicationError, match="职称系列“工程”下已有职称“工程师”"):
        services.title_create(
            actor=hr_city, series=engineering, level=TitleLevel.INTERMEDIATE, name="工程师"
        )
    assert Title.objects.count() == before


def test_the_same_name_may_exist_in_another_series(hr_city):
    publishing = TitleSeries.objects.get(code="publishing")
    journalism = TitleSeries.objects.get(code="journalism")
    assert Title.objects.filter(series=publishing, name="编辑").exists()
    assert Title.objects.filter(series=journalism, name="编辑").exists()
    services.title_create(
        actor=hr_city, series=TitleSeries.objects.get(code="economics"), level="junior", name="编辑"
    )


def test_titles_hang_on_a_sub_series_not_on_a_group(hr_province):
    health = TitleSeries.objects.get(code="health")
    with pytest.raises(ApplicationError, match="“卫生”下设子系列，请选择具体的子系列"):
        services.title_create(actor=hr_province, series=health, level="junior", name="卫生员")


@pytest.mark.parametrize(
    ("level", "name", "message"),
    [
        ("", "新职称", "请选择职称级别"),
        ("expert", "新职称", "请选择职称级别"),
        ("junior", "  ", "请填写职称名称"),
        ("junior", "职" * 51, "不超过 50"),
    ],
)
def test_bad_input_is_refused(hr_city, engineering, level, name, message):
    before = Title.objects.count()
    with pytest.raises(ApplicationError, match=message):
        services.title_create(actor=hr_city, series=engineering, level=level, name=name)
    assert Title.objects.count() == before


def test_an_officer_edits_level_and_name(hr_city, city_title):
    services.title_update(
        actor=hr_city, title=city_title, level=TitleLevel.ASSISTANT, name="助理工程师（智能制造）"
    )
    city_title.refresh_from_db()
    assert (city_title.level, city_title.name) == ("assistant", "助理工程师（智能制造）")


def test_renaming_to_a_name_in_use_is_refused(hr_city, city_title):
    with pytest.raises(ApplicationError, match="已有职称“技术员”"):
        services.title_update(actor=hr_city, title=city_title, name="技术员")
    city_title.refresh_from_db()
    assert city_title.name == "工程师（智能制造）"


def test_only_the_province_maintains_standard_titles(hr_city, hr_province):
    standard = Title.objects.get(series__code="engineering", name="技术员")
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.title_update(actor=hr_city, title=standard, name="技术员一")
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.title_delete(actor=hr_city, title=standard)
    services.title_update(actor=hr_province, title=standard, name="技术员（工程）")
    assert Title.objects.filter(name="技术员（工程）").exists()


def test_another_city_cannot_touch_a_citys_title(hr_suzhou, city_title):
    with pytest.raises(ApplicationError, match="由其他机构维护"):
        services.title_delete(actor=hr_suzhou, title=city_title)
    assert Title.objects.filter(pk=city_title.pk).exists()


def test_deleting_an_unused_title_is_logged(hr_city, city_title):
    services.title_delete(actor=hr_city, title=city_title)
    assert not Title.objects.filter(pk=city_title.pk).exists()
    assert LogEntry.objects.filter(
        additional_data__operation="delete", object_pk=str(city_title.pk), actor=hr_city
    ).exists()


def test_a_title_someone_applied_for_cannot_be_deleted(hr_city, city_title, make_application):
    application = make_application(city_title, Specialty.objects.get(code="080201"))
    with pytest.raises(ApplicationError, match=r"该职称已被使用（职称申报 1 条），不能删除"):
        services.title_delete(actor=hr_city, title=city_title)
    assert Title.objects.filter(pk=city_title.pk).exists()
    assert Application.objects.filter(pk=application.pk, title=city_title).exists()
    assert not LogEntry.objects.filter(
        additional_data__operation="delete", object_pk=str(city_title.pk)
    ).exists()


def test_a_reference_the_usage_check_misses_is_refused_not_a_server_error(
    hr_city, city_title, make_application, monkeypatch
):
    make_application(city_title, Specialty.objects.get(code="080201"))
    monkeypatch.setattr(services, "usages", lambda obj: [])  # e.g. a relation added later
    with pytest.raises(ApplicationError, match=r"该职称已被使用（职称申报），不能删除"):
        services.title_delete(actor=hr_city, title=city_title)
    assert Title.objects.filter(pk=city_title.pk).exists()


def test_title_list_orders_by_level_and_a_group_series_includes_its_sub_series(hr_city):
    health = TitleSeries.objects.get(code="health")
    nursing = list(
        selectors.title_list(user=hr_city, series=TitleSeries.objects.get(code="health_nursing"))
    )
    assert [t.name for t in nursing] == ["主任护师", "副主任护师", "主管护师", "护师", "护士"]
    assert selectors.title_list(user=hr_city, series=health).count() == 25


def test_the_titles_in_a_series_are_its_own_and_none_for_a_group_or_no_series(hr_city):
    nursing = TitleSeries.objects.get(code="health_nursing")
    titles = selectors.title_list_in_series(user=hr_city, series_id=nursing.pk)
    assert {t.name for t in titles} == {"主任护师", "副主任护师", "主管护师", "护师", "护士"}
    health = TitleSeries.objects.get(code="health")
    assert not selectors.title_list_in_series(user=hr_city, series_id=health.pk).exists()
    assert not selectors.title_list_in_series(user=hr_city, series_id=None).exists()


def test_the_title_tree_loads_in_a_fixed_number_of_queries(hr_city, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        tree = selectors.title_tree(user=hr_city)
        health = next(s for s in tree if s.code == "health")
        assert [s.name for s in health.sub_series] == ["医疗", "药学", "护理", "技术"]
        assert health.sub_series[0].title_items[0].name == "主任医师"
