"""Move the clock for code that reads ``django.utils.timezone.now`` (sessions, axes, auditlog)."""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock

from django.utils import timezone

_real_now = timezone.now


@contextlib.contextmanager
def travel(delta: dt.timedelta):
    """Within the block the clock reads ``delta`` later than it really is."""

    def shifted_now() -> dt.datetime:
        return _real_now() + delta

    with (
        mock.patch("django.utils.timezone.now", shifted_now),
        mock.patch("axes.attempts.now", shifted_now),
        mock.patch("axes.handlers.proxy.now", shifted_now),
    ):
        yield
