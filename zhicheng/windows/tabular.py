"""申报批次 导出查询结果 through the shared Excel engine (``listings.APPLICATION_WINDOWS``)."""

from zhicheng.tabular.engine import listing_export, register_export

from .listings import APPLICATION_WINDOWS

KEY = APPLICATION_WINDOWS.name

register_export(listing_export(APPLICATION_WINDOWS))
