"""Two votes by one expert for one participant at the same moment: the meeting's row lock and
the unique (expert, participant) constraint leave exactly one vote, counted once; a vote racing
the closing is either counted or refused, never written after the results."""

import pytest
from django.db import connection

from zhicheng.common.tests.concurrency import run_together
from zhicheng.meetings import services
from zhicheng.meetings.models import MeetingResult, Vote, VoteChoice

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_votes_at_once_by_one_expert_leave_one(reseeded, meeting_world, committee_user):
    w = meeting_world(1)
    expert, participant = w.members[0], w.participants[0]
    results = run_together(
        lambda: services.vote_cast(
            actor=expert.account, participant=participant.pk, choice=VoteChoice.AGREE
        ),
        lambda: services.vote_cast(
            actor=expert.account, participant=participant.pk, choice=VoteChoice.DISAGREE
        ),
    )
    assert results == ["ok", "ok"], results
    assert Vote.objects.filter(expert=expert, participant=participant).count() == 1
    [result] = services.meeting_close(actor=committee_user, plan=w.plan.pk)
    assert result.agree + result.disagree == 1


def test_a_vote_racing_the_closing_is_counted_or_refused(reseeded, meeting_world, committee_user):
    w = meeting_world(1)
    expert, participant = w.members[0], w.participants[0]
    results = run_together(
        lambda: services.vote_cast(
            actor=expert.account, participant=participant.pk, choice=VoteChoice.AGREE
        ),
        lambda: services.meeting_close(actor=committee_user, plan=w.plan.pk),
    )
    assert results[1] == "ok", results
    result = MeetingResult.objects.get(participant=participant)
    if results[0] == "ok":
        assert result.agree == 1
    else:
        assert "已结束" in results[0]
        assert result.agree == 0
