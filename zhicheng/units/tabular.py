"""单位注册 and 公示表 exports through the shared Excel engine (``units.listings``)."""

from zhicheng.tabular.engine import listing_export, register_export
from zhicheng.units.listings import PUBLICITY_SHEET, UNIT_REGISTRATIONS

register_export(listing_export(UNIT_REGISTRATIONS))
register_export(listing_export(PUBLICITY_SHEET))
