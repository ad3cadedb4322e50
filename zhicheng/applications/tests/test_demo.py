"""The demo: applications in every state for applicant_a and others, waiting at every demo
reviewer; loading twice changes nothing."""

from django.core.management import call_command

from zhicheng.accounts.models import User
from zhicheng.applications import selectors
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.titles.models import TitleHolding


def test_the_demo_fills_every_list_and_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    mine = Application.objects.filter(applicant__username="applicant_a")
    assert set(mine.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert TitleHolding.objects.filter(person__user__username="applicant_a").count() == 1
    flagged = mine.get(status=ApplicationStatus.UNDER_REVIEW)
    assert flagged.returned_from.name == "南京市人力资源和社会保障局"
    for username in ("unit_a", "hr_county_jn", "hr_city", "hr_province", "committee_eng"):
        user = User.objects.get(username=username)
        todo = selectors.application_list(user=user, scope=selectors.Scope.TODO)
        assert todo.count() >= 1, username
    counts = Application.objects.count()
    call_command("load_demo", verbosity=0)
    assert Application.objects.count() == counts
