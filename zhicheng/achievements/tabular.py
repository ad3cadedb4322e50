"""申报材料清单 导出查询结果 through the shared Excel engine (``listings.CHECKLISTS``)."""

from zhicheng.tabular.engine import listing_export, register_export

from .listings import CHECKLISTS

register_export(listing_export(CHECKLISTS))
