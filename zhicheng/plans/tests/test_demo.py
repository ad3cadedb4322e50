"""The demo: a submitted 正常 plan waits for ``plan_reviewer``; the 特殊 one is the committee's
draft; loading twice changes nothing."""

from django.core.management import call_command

from zhicheng.accounts.models import User
from zhicheng.plans import selectors
from zhicheng.plans.models import EvaluationPlan


def test_the_demo_gives_each_plan_list_something(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    reviewer = User.objects.get(username="plan_reviewer")
    (waiting,) = selectors.plan_review_list(user=reviewer, special=False, status="submitted")
    assert waiting.participant_count == 1 and waiting.attachments.count() == 1
    committee = User.objects.get(username="committee_eng")
    # + the two plans of filings.demo (评后公示 under way, awaiting 1.15 备案).
    assert selectors.plan_list(user=committee).count() == 4
    call_command("load_demo", verbosity=0)
    assert EvaluationPlan.objects.count() == 4
