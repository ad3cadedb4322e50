"""The organization typeahead every module uses for "choose an organization" (录入机构名称，
回车查询，支持模糊查询): web's scoped typeahead over ``Organization`` and
``GET /api/v1/organizations/?search=``, plus the organization's own checks (active, type).

    class CommitteeForm(BaseForm):           # zhicheng.web.forms.BaseForm passes user= on
        organizer = OrganizationTypeaheadField(label="组建单位", org_type="committee_organizer")

    form = CommitteeForm(request.POST or None, user=request.user)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from zhicheng.web.widgets import TypeaheadField, TypeaheadWidget

from .models import Organization, OrgType

OUT_OF_SCOPE = "机构不存在或不在管辖范围内"


class OrganizationTypeaheadWidget(TypeaheadWidget):
    model = Organization
    search_url = reverse_lazy("organization-list")

    def __init__(self, attrs=None, *, org_type: str = "", include_deregistered: bool = False):
        super().__init__(attrs, org_type=org_type, include_deregistered=include_deregistered)


class OrganizationTypeaheadField(TypeaheadField):
    """Cleans the posted id to an ``Organization`` within ``user``'s scope (set by BaseForm)."""

    model = Organization
    default_error_messages = {
        "invalid": OUT_OF_SCOPE,
        "deregistered": "所选机构已注销",
        "org_type": "请选择机构类型为“%(org_type)s”的机构",
    }

    def __init__(self, *, org_type: str = "", active_only: bool = True, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            OrganizationTypeaheadWidget(org_type=org_type, include_deregistered=not active_only),
        )
        super().__init__(**kwargs)
        self.org_type = org_type
        self.active_only = active_only

    def to_python(self, value) -> Organization | None:
        org = super().to_python(value)
        if org is None:
            return None
        if self.active_only and not org.is_active:
            raise ValidationError(self.error_messages["deregistered"], code="deregistered")
        if self.org_type and org.org_type != self.org_type:
            raise ValidationError(
                self.error_messages["org_type"],
                code="org_type",
                params={"org_type": OrgType(self.org_type).label},
            )
        return org
