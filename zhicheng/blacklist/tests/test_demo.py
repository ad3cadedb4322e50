from zhicheng.accounts.demo import load_demo_accounts
from zhicheng.blacklist import demo as blacklist_demo
from zhicheng.blacklist.models import BlacklistEntry, BlacklistState
from zhicheng.blacklist.services import person_blacklist_block
from zhicheng.common.validators import parse_id_number
from zhicheng.persons import demo as persons_demo
from zhicheng.persons.models import Person


def load_twice(orgs):
    load_demo_accounts(orgs)
    for _ in range(2):
        persons_demo.load(orgs)
        blacklist_demo.load(orgs)


def test_demo_gives_applicant_a_their_person_and_lists_three_entries(orgs):
    load_twice(orgs)
    zhang = Person.objects.get(user__username="applicant_a")
    assert zhang.name == "张伟" and zhang.id_number.startswith("320115")
    assert parse_id_number(zhang.id_number).gender == "男"
    assert zhang.organization == orgs["unit_a"]
    assert person_blacklist_block(zhang) is None
    assert Person.objects.count() == len(persons_demo.DEMO_PERSONS)

    entries = BlacklistEntry.objects.select_related("organization")
    by_bureau = sorted((e.organization.name, e.state) for e in entries)
    assert by_bureau == sorted(
        [
            ("江苏省人力资源和社会保障厅", BlacklistState.IN_FORCE),
            ("江苏省人力资源和社会保障厅", BlacklistState.LIFTED),
            ("南京市人力资源和社会保障局", BlacklistState.IN_FORCE),
        ]
    )
