"""The 用户管理 list, declared once (a page only: no export, no API list)."""

from zhicheng.accounts import selectors
from zhicheng.accounts.models import Role
from zhicheng.common.listing import Col, Filter, Listing
from zhicheng.orgs.widgets import OrganizationTypeaheadField

STATUSES = (("active", "启用"), ("inactive", "停用"))


def _organization_field(flt: Filter) -> OrganizationTypeaheadField:
    # Cleans to an Organization in the user's scope: the selector matches its subtree.
    return OrganizationTypeaheadField(label=flt.label, required=False, active_only=False)


USERS = Listing(
    name="users",
    selector=selectors.user_list,
    filters=(
        Filter("username", "用户名", max_length=150),
        Filter("real_name", "姓名", max_length=50),
        Filter("organization", "机构", "int", form_field=_organization_field),
        Filter("role", "角色", "choice", choices=Role.choices),
        Filter("status", "状态", "choice", choices=STATUSES),
    ),
    columns=(
        Col("用户名", "username", link=True),
        Col("姓名", "real_name"),
        Col("所属机构", "organization.name"),
        Col("角色", lambda u: "、".join(selectors.role_labels_of(u))),
        Col("状态", template="accounts/_user_status_cell.html"),
        Col("最近登录", "last_login"),
    ),
)
