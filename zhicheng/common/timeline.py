"""过程跟踪 (1.24) beyond the review steps: what happened to an application after its route —
the 呈报方案 it was put in and how that was reviewed, the certificate issued for the title it led
to and its revocation. Other apps describe their steps as ``TimelineEvent`` rows, which the
timeline table shows beside the ``ReviewRecord`` rows (same attribute names). In ``common``
because the apps that describe steps (plans, certificates) sit beside applications, not above."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineEvent:
    created_at: datetime
    reviewer_name: str
    actor_name: str
    action: str  # the badge's kind: "approve", "return", "certificate_revoke", …
    label: str
    opinion: str = ""
    destination_text: str = "—"
    reason_labels: tuple[str, ...] = ()

    def get_action_display(self) -> str:
        return self.label


def merged_timeline(records: list, *event_lists: list[TimelineEvent]) -> list:
    """The review records and the other apps' events in time order (a record first on a tie:
    it caused what follows)."""
    rows = [(row.created_at, 0, index, row) for index, row in enumerate(records)]
    for events in event_lists:
        rows += [(event.created_at, 1, index, event) for index, event in enumerate(events)]
    return [row for *_, row in sorted(rows, key=lambda item: item[:3])]
