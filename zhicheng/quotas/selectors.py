"""Reads of 职数申报 (1.22), always through ``scoped``: an HR bureau sees the declarations of the
employers in its subtree; an employer's officer sees their own organization's."""

from django.db.models import QuerySet

from zhicheng.accounts.models import User
from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.quotas.models import QuotaDeclaration


def quota_declaration_list(
    *, user: User, name: str = "", year: int | None = None, organization_id: int | None = None
) -> QuerySet[QuotaDeclaration]:
    """职数申报查询: by 单位名称 (contains), 年度, 单位; newest year first, then by unit name."""
    qs = scoped(QuotaDeclaration.objects.select_related("organization", "declared_by"), user)
    if name.strip():
        qs = qs.filter(organization__name__contains=name.strip())
    if year:
        qs = qs.filter(year=year)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("-year", "organization__name", "pk")


def quota_declaration_get(*, user: User, pk) -> QuotaDeclaration:
    return get_scoped_or_404(
        QuotaDeclaration.objects.select_related("organization", "declared_by"), user, pk
    )
