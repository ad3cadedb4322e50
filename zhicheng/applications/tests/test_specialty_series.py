"""申报专业 limited to the chosen series (issue 10): a series names its 栏目大类
(``TitleSeries.specialty_categories``, seeded for the standard series: 工程 → 工学, 理学, 交叉学科);
the application form offers only their specialties and the service refuses others (哲学 for
工程). A series without categories takes any specialty."""

import pytest
from django.urls import reverse

from zhicheng.applications import rules
from zhicheng.catalog.models import TitleSeries
from zhicheng.common.errors import ApplicationError

from .conftest import specialty, title_named


def test_the_standard_engineering_series_is_seeded_with_its_categories(db):
    names = set(
        TitleSeries.objects.get(code="engineering").specialty_categories.values_list(
            "name", flat=True
        )
    )
    assert names == {"工学", "理学", "交叉学科"}
    medicine = TitleSeries.objects.get(code="health_medicine")
    assert {s.name for s in medicine.specialty_categories.all()} == set()
    assert medicine.category_ids() == {specialty("10").pk}  # the parent 卫生's


def test_the_service_refuses_a_specialty_outside_the_series(world, draft):
    with pytest.raises(ApplicationError, match="不属于工程系列可申报的专业") as info:
        draft("evaluation", specialty=specialty("0101"))
    assert "哲学" in info.value.message and "工学" in info.value.message
    assert rules.specialty_problem(title_named("高级工程师"), specialty("080201")) == ""


def test_a_series_without_categories_takes_any_specialty(world):
    series = TitleSeries.objects.get(code="engineering")
    series.specialty_categories.clear()
    assert rules.specialty_problem(title_named("高级工程师"), specialty("0101")) == ""


def test_the_series_titles_answer_brings_only_its_specialties(world, client):
    client.force_login(world.applicant)
    series = TitleSeries.objects.get(code="engineering")
    html = client.get(reverse("applications:form-titles"), {"series": series.pk}).content.decode()
    assert 'hx-swap-oob="innerHTML:#id_specialty"' in html
    assert "机械制造及其自动化" in html and "哲学" not in html and "临床医学" not in html


def test_the_form_bound_to_a_series_offers_only_its_specialties(world):
    from zhicheng.applications.forms import ApplicationForm

    series = TitleSeries.objects.get(code="engineering")
    form = ApplicationForm({"series": str(series.pk)}, user=world.applicant)
    groups = [group for group, _items in form.fields["specialty"].choices[1:]]
    assert groups == ["理学", "工学", "交叉学科"]
