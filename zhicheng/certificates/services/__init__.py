"""Writes of the certificates app: ``units`` — issuing units (1.9) and their number pools
(1.16); ``issuing`` — 证书发放 (1.17). Everything of ``units`` is importable from
``zhicheng.certificates.services`` as before; the issuing functions from ``services.issuing``."""

from . import issuing, national, seals
from .units import (
    BULK_SIZE,
    YEAR_MIN,
    certificate_numbers_generate,
    generated_message,
    issuing_unit_create,
    issuing_unit_deregister,
    issuing_unit_require_active,
    issuing_unit_update,
)

__all__ = [
    "BULK_SIZE",
    "YEAR_MIN",
    "certificate_numbers_generate",
    "generated_message",
    "issuing",
    "national",
    "seals",
    "issuing_unit_create",
    "issuing_unit_deregister",
    "issuing_unit_require_active",
    "issuing_unit_update",
]
