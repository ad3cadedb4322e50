"""Demo persons: 张伟 for the demo applicant ``applicant_a`` and a few more at demo employers,
each with a valid 身份证号 (check character computed). Idempotent: known numbers are left alone."""

from zhicheng.accounts.models import User
from zhicheng.common.validators import id_check_char
from zhicheng.orgs.models import Organization
from zhicheng.persons import services
from zhicheng.persons.models import Person


def demo_id_number(region: str, birth: str, sequence: str) -> str:
    first17 = region + birth + sequence
    return first17 + id_check_char(first17)


# key, name, region, birth date, sequence (odd last digit = 男), employer key, mobile, login
DEMO_PERSONS = [
    ("zhang_wei", "张伟", "320115", "19880512", "031", "unit_a", "13851000001", "applicant_a"),
    ("li_na", "李娜", "320115", "19900308", "042", "unit_b", "13851000002", None),
    ("wang_qiang", "王强", "320115", "19850721", "013", "unit_d", "13851000003", None),
    ("sun_li", "孙丽", "320115", "19910417", "064", "unit_a", "13851000004", None),
    ("liu_yang", "刘洋", "320506", "19870915", "055", "unit_f", "13962000005", None),
    ("chen_jing", "陈静", "320506", "19921103", "026", "unit_i", "13962000006", None),
    ("zhao_lei", "赵磊", "320106", "19830224", "071", None, "", None),
]  # fmt: skip


def load_demo_persons(orgs: dict[str, Organization]) -> dict[str, Person]:
    """Through the services: an unknown number becomes a person, a known one is left alone;
    a demo login gets its person unless either is already linked."""
    by_key: dict[str, Person] = {}
    for key, name, region, birth, seq, org_key, mobile, username in DEMO_PERSONS:
        person, _created = services.person_get_or_create(
            actor=None,
            id_number=demo_id_number(region, birth, seq),
            name=name,
            mobile=mobile,
            organization=orgs[org_key] if org_key else None,
        )
        user = User.objects.filter(username=username).first() if username else None
        if (
            user is not None
            and person.user_id is None
            and not Person.objects.filter(user=user).exists()
        ):
            person = services.person_link_user(actor=None, person=person, user=user)
        by_key[key] = person
    return by_key


def load(orgs: dict[str, Organization]) -> None:
    load_demo_persons(orgs)
