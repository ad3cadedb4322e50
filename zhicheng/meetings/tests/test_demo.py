"""The demo's closed meeting was held through the services: expert_a and expert_b, members of
its panel, scored and voted with their own logins and see their votes in 我的评审; the
committee sees the tallies; loading again changes nothing."""

from django.core.management import call_command
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.experts.models import Expert
from zhicheng.meetings.models import Meeting, MeetingResult, MeetingStatus, Vote


def test_demo_experts_voted_in_the_closed_meeting(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    meeting = Meeting.objects.get(plan__name__contains="第二批")
    assert meeting.status == MeetingStatus.CLOSED
    results = list(MeetingResult.objects.filter(meeting=meeting).order_by("rank"))
    assert [r.passed for r in results] == [True, False, False]
    assert "通过率上限" in results[1].cut_reason and results[2].disagree == results[2].present
    for username in ("expert_a", "expert_b"):
        expert = Expert.objects.get(account__username=username)
        assert Vote.objects.filter(meeting=meeting, expert=expert).count() == 3
        client.force_login(User.objects.get(username=username))
        html = client.get(reverse("meetings:review-list")).content.decode()
        assert meeting.plan.name in html and "同意" in html
    votes = Vote.objects.count()
    call_command("load_demo", verbosity=0)
    assert Vote.objects.count() == votes and Meeting.objects.count() == 2
