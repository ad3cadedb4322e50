"""The exports of 评审会议结果 (key ``meeting-results``) and 通过率上限 (``pass-rate-caps``)
through the shared Excel engine."""

from zhicheng.meetings.listings import MEETING_RESULTS, PASS_RATE_CAPS
from zhicheng.tabular.engine import listing_export, register_export

register_export(listing_export(MEETING_RESULTS))
register_export(listing_export(PASS_RATE_CAPS))
