"""Demo blacklist: two entries by the province bureau (one in force, one lifted) and one in
force by the Nanjing city bureau, made through the real services by the demo HR accounts.
Dates are relative to today so the states stay true. Idempotent: a person already listed
for that reason is left alone."""

import datetime as dt

from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.blacklist.models import BlacklistEntry, BlacklistReason
from zhicheng.blacklist.services import blacklist_entry_create, blacklist_entry_lift
from zhicheng.orgs.models import Organization
from zhicheng.persons.demo import load_demo_persons

# officer, person key, reason, 文号 pattern, start (days before today), notes, lift reason
DEMO_ENTRIES = [
    ("hr_province", "liu_yang", BlacklistReason.FALSE_MATERIALS, "苏人社职〔{year}〕12号", 120,
     "申报高级工程师时提供虚假业绩证明", ""),
    ("hr_province", "chen_jing", BlacklistReason.PLAGIARISM, "苏人社职〔{year}〕45号", 400,
     "代表作与他人已发表论文高度重复", "经复核，原认定依据不足，撤销处理决定"),
    ("hr_city", "wang_qiang", BlacklistReason.IMPROPER_MEANS, "宁人社职〔{year}〕8号", 30,
     "伪造继续教育学时证明", ""),
]  # fmt: skip


def load(orgs: dict[str, Organization]) -> None:
    persons = load_demo_persons(orgs)
    today = timezone.localdate()
    for officer, person_key, reason, doc, days, notes, lift_reason in DEMO_ENTRIES:
        start = today - dt.timedelta(days=days)
        document_number = doc.format(year=start.year)
        person = persons[person_key]
        if BlacklistEntry.objects.filter(person=person, reason=reason).exists():
            continue
        actor = User.objects.get(username=officer)
        entry = blacklist_entry_create(
            actor=actor,
            person=person,
            reason=reason,
            document_number=document_number,
            start_date=start,
            notes=notes,
        )
        if lift_reason:
            blacklist_entry_lift(actor=actor, entry=entry, reason=lift_reason)
