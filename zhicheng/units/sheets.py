"""The 公示表 as a PDF, from the same declared list as its Excel export (``PUBLICITY_SHEET``)."""

from __future__ import annotations

from zhicheng.accounts.models import User
from zhicheng.units import selectors
from zhicheng.units.listings import PUBLICITY_SHEET
from zhicheng.units.pdf import render_sheet


def _value(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if callable(obj):
            obj = obj()
        if obj is None:
            return None
    return obj


def publicity_sheet_pdf(*, user: User, publicity: int | None = None) -> bytes:
    """The unit's 公示表: one publicity's applications, or those waiting at the unit."""
    columns = [c for c in PUBLICITY_SHEET.columns if isinstance(c.value, str)]
    apps = list(selectors.publicity_sheet(user=user, publicity=publicity))
    period = ""
    if publicity:
        found = selectors.unit_publicity_get(user=user, pk=publicity)
        period = f"{found.starts_on:%Y-%m-%d}至{found.ends_on:%Y-%m-%d}"
    unit = user.organization.name if user.organization_id else ""
    return render_sheet(
        unit_name=unit,
        headers=[c.header for c in columns],
        rows=[[_value(app, c.value) for c in columns] for app in apps],
        period=period,
    )
