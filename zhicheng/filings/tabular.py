"""Exports of the 评后公示, 异议, 1.15 备案 and 评审结果 lists through the shared Excel engine."""

from zhicheng.filings.listings import FILINGS, OBJECTIONS, PUBLICITY_PLANS, RESULTS
from zhicheng.tabular.engine import listing_export, register_export

for _listing in (PUBLICITY_PLANS, OBJECTIONS, FILINGS, RESULTS):
    register_export(listing_export(_listing))
