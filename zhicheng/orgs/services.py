from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.audit.services import operation_record
from zhicheng.common.errors import ApplicationError
from zhicheng.common.scoping import scoped
from zhicheng.orgs.models import Organization, OrgStatus


def _check_parent_in_scope(*, actor: User, parent: Organization) -> None:
    if not scoped(Organization.objects.filter(pk=parent.pk), actor).exists():
        raise ApplicationError("上级机构不在您的管辖范围内")


@transaction.atomic
def organization_create(
    *,
    actor: User,
    parent: Organization | None,
    name: str,
    uscc: str,
    org_type: str,
    region_code: str,
) -> Organization:
    node = Organization(name=name.strip(), uscc=uscc, org_type=org_type, region_code=region_code)
    node.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        if not actor.is_superuser:
            raise ApplicationError("只有超级管理员可以新建顶级机构")
        return Organization.objects.add_root(instance=node)
    _check_parent_in_scope(actor=actor, parent=parent)
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    if not parent.is_active:
        raise ApplicationError("上级机构已注销，不能在其下新增机构")
    return Organization.objects.add_child(parent, instance=node)


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields) -> Organization:
    org = scoped(Organization.objects.select_for_update(), actor).filter(pk=organization.pk).first()
    if org is None:
        raise ApplicationError("机构不在您的管辖范围内")
    for key in ("name", "uscc", "org_type", "region_code"):
        if key in fields:
            setattr(org, key, fields[key].strip() if isinstance(fields[key], str) else fields[key])
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    return org


@transaction.atomic
def organization_deregister(*, actor: User, organization: Organization) -> Organization:
    org = scoped(Organization.objects.select_for_update(), actor).filter(pk=organization.pk).first()
    if org is None:
        raise ApplicationError("机构不在您的管辖范围内")
    if org.pk == actor.organization_id:
        raise ApplicationError("不能注销本人所属机构")
    if not org.is_active:
        raise ApplicationError("该机构已注销")
    if org.get_children().filter(status=OrgStatus.ACTIVE).exists():
        raise ApplicationError("该机构下仍有正常状态的下级机构，请先注销下级机构")
    org.status = OrgStatus.DEREGISTERED
    org.save(update_fields=["status", "updated_at", "name_initials"])
    operation_record(actor=actor, operation="deregister", obj=org, summary=f"注销机构 {org.name}")
    return org
