import datetime as dt

import pytest

from zhicheng.common.errors import ApplicationError
from zhicheng.persons.models import Gender, IdType, Person
from zhicheng.persons.services import person_get_or_create
from zhicheng.persons.tests.factories import id_number, make_person, with_bad_check_char

pytestmark = pytest.mark.django_db


def test_resident_id_gives_birth_date_and_gender():
    person = make_person("张三", number=id_number(birth="19880512", seq="031"))
    assert person.birth_date == dt.date(1988, 5, 12)
    assert person.gender == Gender.MALE
    woman = make_person("李四", number=id_number(birth="19900308", seq="042"))
    assert woman.gender == Gender.FEMALE


def test_lowercase_x_check_character_is_stored_upper_case():
    for seq in range(1000):
        number = id_number(seq=f"{seq:03d}")
        if number.endswith("X"):
            break
    person = make_person("王五", number=number.lower())
    assert person.id_number == number


def test_invalid_resident_id_is_refused_with_the_reason():
    with pytest.raises(ApplicationError, match="校验位错误"):
        make_person("赵六", number=with_bad_check_char(id_number()))
    with pytest.raises(ApplicationError, match="18位"):
        make_person("赵六", number="32011519880512")
    assert not Person.objects.exists()


def test_same_number_twice_returns_the_existing_person():
    number = id_number()
    first, created = person_get_or_create(actor=None, id_number=number, name="钱七")
    again, created_again = person_get_or_create(actor=None, id_number=number, name="钱七")
    assert created and not created_again
    assert first.pk == again.pk
    assert Person.objects.count() == 1


def test_same_number_with_another_name_is_refused():
    number = id_number()
    make_person("钱七", number=number)
    with pytest.raises(ApplicationError, match="姓名与录入的不一致"):
        person_get_or_create(actor=None, id_number=number, name="钱八")


def test_passport_gets_a_format_check_only():
    person = make_person("John Smith", number="e12345678", id_type=IdType.PASSPORT)
    assert person.id_number == "E12345678"
    assert person.birth_date is None and person.gender == ""
    with pytest.raises(ApplicationError, match="5至20位字母或数字"):
        make_person("Jane Doe", number="E-123", id_type=IdType.PASSPORT)


def test_the_same_number_under_another_document_type_is_another_person():
    a = make_person("甲", number="H12345678", id_type=IdType.HK_MACAO_PERMIT)
    b = make_person("乙", number="H12345678", id_type=IdType.PASSPORT)
    assert a.pk != b.pk


@pytest.mark.parametrize("mobile", ["1385100000", "23851000001", "1385100000a", "12851000001"])
def test_invalid_mobile_is_refused(mobile):
    with pytest.raises(ApplicationError, match="手机号应为11位"):
        make_person("孙九", mobile=mobile)


def test_mobile_with_spaces_is_normalised():
    assert make_person("周十", mobile="138 5100 0001").mobile == "13851000001"


def test_masked_number_keeps_region_and_last_four():
    number = id_number()
    person = make_person("吴一", number=number)
    assert person.masked_id_number == number[:6] + "********" + number[-4:]


def test_linking_a_login_to_a_person_refuses_a_second_link(orgs, applicant, make_user):
    from zhicheng.accounts.roles import Role
    from zhicheng.persons.services import person_link_user

    person = make_person("周敏", number=id_number(seq="077"))
    assert person_link_user(actor=None, person=person, user=applicant).user == applicant
    assert person_link_user(actor=None, person=person, user=applicant).user == applicant
    other = make_person("吴刚", number=id_number(seq="079"))
    with pytest.raises(ApplicationError, match="已关联其他人员"):
        person_link_user(actor=None, person=other, user=applicant)
    officer = make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER)
    with pytest.raises(ApplicationError, match="不是申报人账号"):
        person_link_user(actor=None, person=other, user=officer)
