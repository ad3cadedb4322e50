"""The export of 评审会议结果 through the shared Excel engine (key ``meeting-results``)."""

from zhicheng.meetings.listings import MEETING_RESULTS
from zhicheng.tabular.engine import listing_export, register_export

register_export(listing_export(MEETING_RESULTS))
