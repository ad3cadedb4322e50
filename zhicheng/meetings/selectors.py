"""Reads of meetings and their results."""

from django.db.models import QuerySet

from zhicheng.meetings.models import Meeting, MeetingResult, MeetingStatus


def plan_meeting(plan) -> Meeting | None:
    return Meeting.objects.filter(plan=plan).first()


def passed_results(plan) -> QuerySet[MeetingResult]:
    """The participants who passed a closed meeting, best score first; none before closing."""
    return (
        MeetingResult.objects.filter(
            meeting__plan=plan, meeting__status=MeetingStatus.CLOSED, passed=True
        )
        .select_related("participant__application__person")
        .order_by("rank", "participant_id")
    )
