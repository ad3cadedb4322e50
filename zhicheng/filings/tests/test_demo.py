"""The demo: a publicity under way (read at /publicity/) and a plan awaiting filing by
``hr_province``; loading twice changes nothing."""

from django.core.management import call_command
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.filings import selectors
from zhicheng.filings.models import FilingStatus, Publicity, ResultFiling


def test_the_demo_gives_publicity_and_filing_something(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    (under_way,) = selectors.public_publicities()
    assert "第二批" in under_way.plan.name
    # A real meeting: one passes, one is cut by the 副高级 cap, one is voted down.
    assert selectors.publicity_passed(plan=under_way.plan).count() == 1
    hr = User.objects.get(username="hr_province")
    (waiting,) = selectors.filing_list(user=hr, status=FilingStatus.PENDING)
    assert "第一批" in waiting.plan.name
    assert selectors.publicity_passed(plan=waiting.plan).count() == 2
    assert waiting.plan.panel_draws.exists()
    html = client.get(reverse("publicity")).content.decode()
    assert under_way.plan.name in html
    call_command("load_demo", verbosity=0)
    assert Publicity.objects.count() == 2 and ResultFiling.objects.count() == 1
