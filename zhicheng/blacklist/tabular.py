"""黑名单 export (导出查询结果): the list (``listings.BLACKLIST``) with its state written out;
身份证号 masked unless the user holds accounts.view_full_id_number (the engine does the
masking)."""

from __future__ import annotations

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone

from zhicheng.blacklist.listings import BLACKLIST
from zhicheng.blacklist.models import BlacklistEntry, BlacklistState, BlacklistStatus
from zhicheng.tabular.engine import listing_export, register_export

KEY = BLACKLIST.name


def with_state_label(qs: QuerySet[BlacklistEntry]) -> QuerySet[BlacklistEntry]:
    """状态 as text (the page renders it from the model instead)."""
    today = timezone.localdate()
    state = Case(
        When(status=BlacklistStatus.LIFTED, then=Value(BlacklistState.LIFTED.label)),
        When(start_date__gt=today, then=Value(BlacklistState.PENDING.label)),
        When(end_date__lt=today, then=Value(BlacklistState.EXPIRED.label)),
        default=Value(BlacklistState.IN_FORCE.label),
        output_field=CharField(),
    )
    return qs.annotate(state_label=state)


register_export(listing_export(BLACKLIST, prepare=with_state_label))
