"""Build persons through the real service, with valid 身份证号."""

import itertools

from zhicheng.common.validators import id_check_char
from zhicheng.persons.models import Person
from zhicheng.persons.services import person_get_or_create

_sequence = itertools.count(100)


def id_number(region: str = "320115", birth: str = "19880512", seq: str | None = None) -> str:
    """A valid 18-character 身份证号 (odd sequence = 男)."""
    first17 = region + birth + (seq or f"{next(_sequence) % 1000:03d}")
    return first17 + id_check_char(first17)


def with_bad_check_char(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def make_person(name: str = "测试人", *, organization=None, number: str | None = None, **kw):
    person: Person
    person, _ = person_get_or_create(
        actor=None, id_number=number or id_number(), name=name, organization=organization, **kw
    )
    return person
