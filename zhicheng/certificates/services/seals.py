"""The uploaded seal of an issuing unit (1.9 印章): a PNG with a transparent background, square-ish,
at most ``SEAL_MAX_BYTES``. The certificate prints it when present, else the seal drawn from the
unit's name. A refused file changes nothing."""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from zhicheng.accounts.models import User
from zhicheng.certificates.models import IssuingUnit
from zhicheng.common.errors import ApplicationError
from zhicheng.common.permissions import require_perm

from .units import _lock_in_scope

logger = logging.getLogger(__name__)

SEAL_MAX_BYTES = 1024 * 1024
SEAL_MIN_SIDE = 100
SEAL_MAX_SIDE = 2000
SEAL_MAX_RATIO = 1.25  # long side / short side: a round seal sits in a square
SEAL_RULES = "PNG格式、透明背景、接近正方形（宽高比不超过1.25）、边长100–2000像素、不超过1MB"
PERMISSION = "certificates.change_issuingunit"


def seal_read(upload) -> bytes:
    """An uploaded file's bytes, at most one byte past the limit (enough to refuse it)."""
    upload.seek(0)
    return upload.read(SEAL_MAX_BYTES + 1)


def seal_clean(data: bytes) -> bytes:
    """The seal as stored: the PNG re-encoded as RGBA (metadata dropped). Raises
    ``ApplicationError`` with the rule it breaks."""
    if not data:
        raise ApplicationError("请选择印章图片")
    if len(data) > SEAL_MAX_BYTES:
        raise ApplicationError("印章图片不能超过1MB")
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        width, height = image.size  # from the header: checked before decoding any pixels
    except (UnidentifiedImageError, OSError):
        raise ApplicationError("印章图片须为PNG格式") from None
    if kind != "PNG":
        raise ApplicationError("印章图片须为PNG格式")
    if min(width, height) < SEAL_MIN_SIDE or max(width, height) > SEAL_MAX_SIDE:
        raise ApplicationError(
            f"印章图片边长应在{SEAL_MIN_SIDE}–{SEAL_MAX_SIDE}像素之间（当前{width}×{height}）"
        )
    if max(width, height) / min(width, height) > SEAL_MAX_RATIO:
        raise ApplicationError(f"印章图片应接近正方形（当前{width}×{height}）")
    try:
        rgba = image.convert("RGBA")
    except (OSError, ValueError):
        raise ApplicationError("印章图片已损坏，无法读取") from None
    alpha = rgba.getchannel("A")
    corners = [(0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)]
    if any(alpha.getpixel(point) != 0 for point in corners):
        # A seal on white paper would print a white square over the certificate's frame.
        raise ApplicationError("印章图片背景须透明（请上传透明背景的PNG图片）")
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _delete_later(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def issuing_unit_seal_upload(*, actor: User, issuing_unit: IssuingUnit, data: bytes) -> IssuingUnit:
    """上传印章: replaces the unit's seal (the old file is removed once committed)."""
    require_perm(actor, PERMISSION)
    unit = _lock_in_scope(actor, issuing_unit)
    if not unit.is_active:
        raise ApplicationError("已注销的发证单位不能修改印章")
    png = seal_clean(data)
    old = unit.seal.name
    unit.seal.save("seal.png", ContentFile(png), save=False)
    stored = unit.seal.name
    try:
        unit.save(update_fields=["seal", "updated_at"])
    except Exception:
        unit.seal.storage.delete(stored)
        raise
    _delete_later(unit.seal.storage, old)
    return unit


@transaction.atomic
def issuing_unit_seal_remove(*, actor: User, issuing_unit: IssuingUnit) -> IssuingUnit:
    """删除印章: the certificates issued from now on carry the seal drawn from the unit's name."""
    require_perm(actor, PERMISSION)
    unit = _lock_in_scope(actor, issuing_unit)
    if not unit.seal:
        raise ApplicationError("该发证单位未上传印章")
    old = unit.seal.name
    unit.seal = ""
    unit.save(update_fields=["seal", "updated_at"])
    _delete_later(IssuingUnit._meta.get_field("seal").storage, old)
    return unit


def seal_png(unit: IssuingUnit) -> bytes | None:
    """The uploaded seal's bytes, or ``None`` (no seal, or its file is gone: the drawn seal)."""
    if not unit.seal:
        return None
    try:
        with unit.seal.open("rb") as handle:
            return handle.read()
    except OSError:
        logger.warning("seal file of issuing unit %s is missing: %s", unit.pk, unit.seal.name)
        return None
