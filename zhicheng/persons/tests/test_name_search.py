"""姓名 search: one character is a surname, two or more a substring — the same on SQLite and
on PostgreSQL (where the bigram / trigram / prefix indexes of persons 0002 answer it)."""

import pytest

from zhicheng.persons.models import Person
from zhicheng.persons.selectors import filter_by_name

NAMES = ["王伟", "李伟", "王小明", "欧阳明华", "张明"]


@pytest.fixture
def people(db):
    numbers = ["110101199003071234", "110101199003072298", "11010119900307331X",
               "110101199003074354", "110101199003075373"]  # fmt: skip
    return [
        Person.objects.create(name=name, id_number=number)
        for name, number in zip(NAMES, numbers, strict=True)
    ]


def found(term: str) -> list[str]:
    return sorted(p.name for p in filter_by_name(Person.objects.all(), term))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("王", ["王伟", "王小明"]),  # a surname: not 李伟, whose 伟 is not first
        ("伟", []),
        ("明", []),
        ("小明", ["王小明"]),
        ("明华", ["欧阳明华"]),
        ("欧阳明", ["欧阳明华"]),
        ("王小明", ["王小明"]),
        (" 王伟 ", ["王伟"]),
        ("", sorted(NAMES)),
        ("\x00", sorted(NAMES)),
    ],
)
def test_one_character_is_a_surname_and_more_is_a_substring(people, term, expected):
    assert found(term) == expected
