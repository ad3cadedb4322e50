"""职称申报 export (1.12 / 1.24 导出查询结果) of ``listings.APPLICATIONS`` through the shared
Excel engine; 身份证号 masked unless the user holds accounts.view_full_id_number."""

from __future__ import annotations

from zhicheng.catalog.models import AcquisitionMethod, TitleLevel
from zhicheng.tabular.engine import listing_export, register_export

from . import selectors
from .listings import APPLICATIONS_EXPORT
from .models import ApplicationStatus

KEY = APPLICATIONS_EXPORT.name

register_export(
    listing_export(
        APPLICATIONS_EXPORT,
        # The audit log names the chosen values (范围=全部, not scope=all).
        filter_values={
            "scope": dict(selectors.Scope.CHOICES),
            "level": dict(TitleLevel.choices),
            "acquisition_method": dict(AcquisitionMethod.choices),
            "status": dict(ApplicationStatus.choices),
        },
    )
)
