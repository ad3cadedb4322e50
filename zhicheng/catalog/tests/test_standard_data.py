"""The standard 栏目大类, specialties, title series and titles ship with the system."""

from django.apps import apps

from zhicheng.catalog.models import Specialty, Title, TitleLevel, TitleSeries
from zhicheng.catalog.standard import SPECIALTIES, TITLES, seed

REQUIRED_SERIES = [
    "工程", "卫生", "高等学校教师", "中小学教师", "技工院校教师", "经济", "会计", "审计", "统计",
    "农业", "新闻", "出版", "图书资料", "文物博物", "档案", "工艺美术", "自然科学研究",
    "哲学社会科学研究", "实验技术",
]  # fmt: skip


def titles_of(code: str) -> dict[str, list[str]]:
    by_level: dict[str, list[str]] = {}
    for title in Title.objects.filter(series__code=code).order_by("id"):
        by_level.setdefault(title.level, []).append(title.name)
    return by_level


def test_the_discipline_categories_are_the_top_level_of_the_specialty_tree(db):
    categories = dict(Specialty.objects.filter(depth=1).values_list("code", "name"))
    assert categories["08"] == "工学"
    assert categories["10"] == "医学"
    assert len(categories) == sum(1 for _, _, parent in SPECIALTIES if parent is None)
    assert Specialty.objects.filter(owner_organization__isnull=True).count() == len(SPECIALTIES)


def test_seeded_specialties_form_a_consistent_treebeard_tree(db):
    assert all(not problems for problems in Specialty.objects.find_problems())
    mech = Specialty.objects.get(code="0802")
    assert Specialty.objects.get_parent(mech).code == "08"
    assert {c.code for c in Specialty.objects.get_children(mech)} >= {
        "080201",
        "080202",
        "080203",
        "080204",
    }
    assert mech.numchild == Specialty.objects.get_children(mech).count()


def test_every_required_series_ships_with_titles(db):
    names = set(TitleSeries.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert set(REQUIRED_SERIES) <= names
    for series in TitleSeries.objects.all():
        has_sub = TitleSeries.objects.filter(parent=series).exists()
        assert has_sub or series.titles.exists(), f"{series} has neither sub-series nor titles"


def test_health_is_split_into_medicine_pharmacy_nursing_and_technology(db):
    health = TitleSeries.objects.get(code="health")
    assert list(health.children.values_list("name", flat=True)) == ["医疗", "药学", "护理", "技术"]
    assert titles_of("health_medicine")[TitleLevel.INTERMEDIATE][0] == "主治医师"
    assert titles_of("health_nursing")[TitleLevel.JUNIOR] == ["护士"]


def test_engineering_has_one_title_per_level_from_senior_full_to_junior(db):
    assert titles_of("engineering") == {
        TitleLevel.SENIOR_FULL: ["正高级工程师"],
        TitleLevel.SENIOR_DEPUTY: ["高级工程师"],
        TitleLevel.INTERMEDIATE: ["工程师"],
        TitleLevel.ASSISTANT: ["助理工程师"],
        TitleLevel.JUNIOR: ["技术员"],
    }
    assert titles_of("higher_education")[TitleLevel.SENIOR_DEPUTY] == ["副教授"]


def test_a_series_may_hold_several_titles_on_one_level(db):
    deputy = titles_of("technical_school_teacher")[TitleLevel.SENIOR_DEPUTY]
    assert deputy == ["高级讲师", "高级实习指导教师"]


def test_seeding_again_changes_nothing(db):
    before = (Specialty.objects.count(), TitleSeries.objects.count(), Title.objects.count())
    assert seed(apps) == 0
    after = (Specialty.objects.count(), TitleSeries.objects.count(), Title.objects.count())
    assert (
        before
        == after
        == (
            len(SPECIALTIES),
            TitleSeries.objects.count(),
            sum(len(t) for t in TITLES.values()),
        )
    )


def test_seeding_restores_a_missing_standard_leaf_without_touching_edits(db):
    Specialty.objects.get(code="080204").delete()
    Specialty.objects.filter(code="0802").update(name="机械工程（已改名）")
    assert seed(apps) == 1
    restored = Specialty.objects.get(code="080204")
    assert Specialty.objects.get_parent(restored).code == "0802"
    assert Specialty.objects.get(code="0802").name == "机械工程（已改名）"
    assert all(not problems for problems in Specialty.objects.find_problems())
