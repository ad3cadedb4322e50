"""证书核验 helpers: the short 核验码 printed on a certificate, which copy a code (or an uploaded
file) belongs to, and the check of a PDF's signature.

核验码: 8 characters (base32, no 0/1/8/9 confusion) of an HMAC-SHA256 over the certificate
number and copy number, keyed with ``ZHICHENG_VERIFY_KEY`` (default: ``SECRET_KEY``). It is
not stored: rotating that key changes the code of every certificate already printed, so a
deployment that rotates ``SECRET_KEY`` must set ``ZHICHENG_VERIFY_KEY`` to the old value (it
is not a secret that signs anything; it only makes codes unguessable). A reissued copy gets a
new code (the copy number is in the HMAC), so the QR link of a lost copy verifies as 已补发.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
from dataclasses import dataclass

from django.conf import settings

CODE_LENGTH = 8


def _key() -> bytes:
    key = getattr(settings, "ZHICHENG_VERIFY_KEY", "") or settings.SECRET_KEY
    return key.encode()


def verification_code(number: str, copy: int = 1) -> str:
    """The 核验码 of copy ``copy`` of certificate ``number``."""
    digest = hmac.new(_key(), f"certificate:{number}:{copy}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def copy_of_code(number: str, current_copy: int, code: str) -> int | None:
    """Which copy (1 … ``current_copy``) of ``number`` carries ``code``; None for none."""
    code = (code or "").strip().upper()
    if len(code) != CODE_LENGTH:
        return None
    for copy in range(current_copy, 0, -1):
        if hmac.compare_digest(verification_code(number, copy), code):
            return copy
    return None


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of :func:`signature_check`: ``intact`` when the signature covers the file
    as it is and its digest matches; ``signed`` when there is a signature at all."""

    signed: bool
    intact: bool
    message: str


def signature_check(pdf_bytes: bytes) -> SignatureCheck:
    """Validate the (last) signature of a PDF with pyHanko: the digest over the signed byte
    ranges and whether the whole file is covered. Trust in the signer's certificate is not
    judged here (the demo key is self-signed); integrity is."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature

    from zhicheng.certificates.pdf import _run

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return SignatureCheck(False, False, "文件不是有效的PDF，或已损坏")
    if not signatures:
        return SignatureCheck(False, False, "文件没有数字签名")
    try:
        # In a thread of its own where an event loop runs already (ASGI, Playwright).
        status = _run(lambda: async_validate_pdf_signature(signatures[-1]))
    except Exception:
        return SignatureCheck(True, False, "数字签名无法验证，文件可能已被篡改")
    intact = bool(status.intact and status.valid and status.coverage is not None)
    if intact:
        from pyhanko.sign.validation import SignatureCoverageLevel

        intact = status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
    if not intact:
        return SignatureCheck(True, False, "数字签名无效：文件在签名后被修改")
    return SignatureCheck(True, True, "数字签名有效：文件自签发后未被修改")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What 证书核验 answers of one copy: the certificate's own status, except that a copy replaced
# by a reissue reads 已补发 (superseded); a 核验码 that none of its copies carries: 核验码不符.
VALID, REVOKED, SUPERSEDED, MISMATCH = "valid", "revoked", "superseded", "mismatch"
STATE_DISPLAY = {
    VALID: "有效",
    REVOKED: "已撤销",
    SUPERSEDED: "已补发",
    MISMATCH: "核验码不符",
}


def copy_state(certificate, code: str = "") -> str:
    """The state of the copy that carries ``code`` (none given: of the certificate)."""
    return state_of(certificate.status, certificate.number.number, certificate.copy, code)


def state_of(status: str, number: str, current_copy: int, code: str = "") -> str:
    """:func:`copy_state` from the plain values (``selectors.CertificateVerification``)."""
    if status == "revoked":
        return REVOKED
    if code:
        copy = copy_of_code(number, current_copy, code)
        if copy is None:
            return MISMATCH
        if copy < current_copy:
            return SUPERSEDED
    return VALID


def file_state(certificate, data: bytes) -> str | None:
    """The state of an uploaded file of ``certificate`` by its digest: the copy in force, a
    replaced copy (已补发), or None when it is no copy of it."""
    digest = sha256(data)
    if digest == certificate.sha256:
        return REVOKED if certificate.status == "revoked" else VALID
    if certificate.reissues.filter(superseded_sha256=digest).exists():
        return REVOKED if certificate.status == "revoked" else SUPERSEDED
    return None
