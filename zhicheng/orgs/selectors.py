from django.db.models import Q, QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.orgs.models import Organization

TYPEAHEAD_LIMIT = 20


def organization_list(
    *,
    user: User,
    name: str = "",
    uscc: str = "",
    org_type: str = "",
    region_code: str = "",
    status: str = "",
) -> QuerySet[Organization]:
    qs = scoped(Organization.objects.all(), user)
    if name:
        qs = qs.filter(name__contains=name.strip())
    if uscc:
        qs = qs.filter(uscc__startswith=uscc.strip().upper())
    if org_type:
        qs = qs.filter(org_type=org_type)
    if region_code:
        qs = qs.filter(region_code__startswith=region_code.strip())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("path")


def organization_get(*, user: User, pk) -> Organization:
    return get_scoped_or_404(Organization.objects.all(), user, pk)


def organization_typeahead(
    *, user: User, search: str, org_type: str = "", active_only: bool = True
) -> list[Organization]:
    """录入机构名称，回车查询，支持模糊查询: name substring, USCC prefix or pinyin initials."""
    term = (search or "").strip()
    if not term:
        return []
    match = Q(name__contains=term)
    if term.isascii():
        match |= Q(uscc__startswith=term.upper()) | Q(name_initials__contains=term.lower())
    qs = scoped(Organization.objects.all(), user).filter(match)
    if org_type:
        qs = qs.filter(org_type=org_type)
    if active_only:
        qs = qs.filter(status="active")
    return list(
        qs.only("id", "name", "uscc", "org_type", "region_code", "status")[:TYPEAHEAD_LIMIT]
    )
