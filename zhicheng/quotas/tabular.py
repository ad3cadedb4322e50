"""职数申报 导出查询结果 through the shared Excel engine (``listings.QUOTA_DECLARATIONS``)."""

from zhicheng.quotas.listings import QUOTA_DECLARATIONS
from zhicheng.tabular.engine import listing_export, register_export

KEY = QUOTA_DECLARATIONS.name

register_export(listing_export(QUOTA_DECLARATIONS))
