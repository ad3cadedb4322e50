"""The 人员 list of the API (no page, no export), declared once."""

from zhicheng.common.listing import Filter, Listing
from zhicheng.persons import selectors

PERSONS = Listing(
    name="persons",
    selector=selectors.person_list,
    filters=(
        Filter("name", "姓名"),
        Filter("id_number", "身份证号", help_text="前缀匹配"),
    ),
)
