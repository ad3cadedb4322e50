"""The operation log of the applicant's draft saves: one entry per save, with the actor."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from zhicheng.applications.models import Application

BASE = "/api/v1/applications/"


def _entries(app) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=app.pk
        ).order_by("pk")
    )


@pytest.mark.parametrize(
    ("payload", "action", "changed"),
    [
        # A field the data log records: its entry (修改, old and new value) is the only one.
        ({"school": "东南大学"}, LogEntry.Action.UPDATE, {"school"}),
        ({"school": "东南大学", "major": "机械工程"}, LogEntry.Action.UPDATE, {"school", "major"}),
        # Only the work history, or nothing: the business entry 修改职称申报.
        (
            {"work_experiences": [{"start_date": "2016-01-01", "organization_name": "东南大学"}]},
            LogEntry.Action.ACCESS,
            set(),
        ),
        ({"school": "南京工业大学"}, LogEntry.Action.ACCESS, set()),
    ],
)
def test_a_draft_save_writes_one_operation_log_entry(
    world, draft, api_client, payload, action, changed
):
    app = draft("evaluation")
    before = len(_entries(app))
    response = api_client(world.applicant).patch(f"{BASE}{app.pk}/", payload, format="json")
    assert response.status_code == 200, response.json()
    new = _entries(app)[before:]
    assert len(new) == 1
    entry = new[0]
    assert entry.action == action
    assert entry.actor_id == world.applicant.pk
    assert set(entry.changes_dict) == changed
    if action == LogEntry.Action.ACCESS:
        assert entry.additional_data["operation"] == "update"
        assert entry.additional_data["summary"].startswith("修改职称申报")
