"""The electronic certificate as a file: reportlab draws one A4 landscape page (the CJK TrueType
font embedded and subset — reportlab's built-in CID fonts are never embedded), with a QR code
pointing at the public verification page; pyHanko signs it (PAdES, SHA-256) with the configured
key. Without a configured key a demo ECDSA P-256 key and self-signed certificate are made once
under ``ZHICHENG_SIGNING_DIR`` (a real deployment sets ``ZHICHENG_SIGNING_KEY`` / ``_CERT``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpRequest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zhicheng.common.security import protect_inline_file

FONT = "CertificateCJK"
SIGNER_NAME = "职称电子证书签章（演示）"
_lock = threading.Lock()


@dataclass(frozen=True)
class CertificateText:
    """What a certificate says (all already formatted for print)."""

    number: str
    name: str
    id_number: str
    title: str
    level: str
    specialty: str
    acquisition: str
    approved_on: str
    approving_organization: str
    issuing_unit: str
    issued_on: str
    committee: str = ""  # 评审: the committee that evaluated
    gender: str = ""
    series: str = ""
    document_number: str = ""  # 批准文号
    # The short 核验码 (``verification.verification_code``) and the copy: 1 is the original,
    # above 1 a 补发 copy (证书遗失补发), marked so on the face.
    verification_code: str = ""
    copy: int = 1
    # The address of the public verification the QR code points at (``public_url``).
    public_url: str = ""
    # The issuing unit's uploaded seal (a transparent PNG); ``None``: drawn from its name.
    seal_png: bytes | None = field(default=None, repr=False)


def certificate_response(certificate) -> FileResponse:
    """The signed PDF of a ``Certificate``, inline (the browser previews it), never sniffed."""
    response = FileResponse(
        certificate.file.open("rb"),
        content_type="application/pdf",
        filename=f"{certificate.number.number}.pdf",
    )
    return protect_inline_file(response)


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url(request: HttpRequest | None = None) -> str:
    """Where the certificates' QR codes point: ``ZHICHENG_PUBLIC_URL`` when set (production:
    the address the public reaches), else the address that served the issuing request (a
    development server on any port), else the development default."""
    if settings.ZHICHENG_PUBLIC_URL:
        return settings.ZHICHENG_PUBLIC_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEFAULT_PUBLIC_URL


def verification_url(number: str, name: str, base_url: str, code: str = "") -> str:
    params = {"number": number, "name": name}
    if code:
        params["code"] = code
    query = urlencode(params)
    return f"{base_url.rstrip('/')}/verify/?{query}"


@lru_cache(maxsize=1)
def _register_font(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


SEAL_RED = (0.80, 0.07, 0.07)
FRAME_RED = (0.55, 0.09, 0.09)
INK = (0.12, 0.12, 0.12)


def render(text: CertificateText) -> bytes:
    """One A4 landscape page that reads as a 证书: a double red frame, the title, the holder's
    particulars in two columns (the person and the title on the left, who approved and issued
    it on the right — the 证件号码 whole: this signed file is the holder's), the QR code to
    证书核验 with the short 核验码 under it, and the issuing unit's red round seal with 签发单位
    and 签发时间. A 补发 copy carries a red 补发 mark and its copy number. The digital signature
    itself is invisible (the seal is what a reader sees; ``pdfsig`` and any PDF reader check
    the signature)."""
    font = _register_font(settings.ZHICHENG_CERTIFICATE_FONT)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height), initialFontName=font)
    page.setTitle(f"职称证书 {text.number}")
    page.setAuthor(text.issuing_unit)
    _draw_frame(page, width, height)

    page.setFillColorRGB(*FRAME_RED)
    page.setFont(font, 32)
    page.drawCentredString(width / 2, height - 100, "专业技术职务任职资格证书")
    page.setFont(font, 11)
    page.setFillColorRGB(*INK)
    head = f"证书编号：{text.number}"
    if text.verification_code:
        head += f"　　核验码：{text.verification_code}"
    page.drawCentredString(width / 2, height - 124, head)
    if text.copy > 1:
        _draw_reissue_mark(page, font, text.copy, x=width - 120, y=height - 105)

    left = [
        ("姓名", text.name),
        ("性别", text.gender or "—"),
        ("证件号码", text.id_number),
        ("职称名称", text.title),
        ("系列", text.series or "—"),
        ("专业", text.specialty),
        ("级别", text.level),
        ("取得方式", text.acquisition),
    ]
    right = []
    if text.committee:
        right.append(("评审机构", text.committee))
    right += [
        ("审批机构", text.approving_organization),
        ("批准文号", text.document_number or "—"),
        ("取得资格时间", text.approved_on),
        ("发证单位", text.issuing_unit),
        ("发证日期", text.issued_on),
        ("证书编号", text.number),
    ]
    top = height - 168
    _draw_rows(page, font, left, x=80, value_x=170, right_edge=420, top=top)
    _draw_rows(page, font, right, x=445, value_x=555, right_edge=800, top=top)

    _draw_qr(page, text, x=72, y=62)
    seal_x, seal_y = width - 215, 150
    if text.seal_png:
        side = 62 * 2
        page.drawImage(
            ImageReader(io.BytesIO(text.seal_png)),
            seal_x - side / 2,
            seal_y - side / 2,
            width=side,
            height=side,
            mask="auto",  # the PNG's transparency: the frame and text show through
            preserveAspectRatio=True,
            anchor="c",
        )
    else:
        _draw_seal(page, font, text.issuing_unit, seal_x, seal_y, radius=62)
    page.setFillColorRGB(*INK)
    page.setFont(font, 12)
    page.drawCentredString(seal_x, seal_y - 88, f"签发单位：{text.issuing_unit}")
    page.drawCentredString(seal_x, seal_y - 106, f"签发时间：{text.issued_on}")
    page.showPage()
    page.save()
    return buffer.getvalue()


ROW_HEIGHT = 29
ROW_FONT = 14


def _draw_rows(
    page: canvas.Canvas,
    font: str,
    rows: list[tuple[str, str]],
    *,
    x: float,
    value_x: float,
    right_edge: float,
    top: float,
) -> None:
    """One column of label / value rows; a value too long for the column is set smaller."""
    for index, (label, value) in enumerate(rows):
        y = top - index * ROW_HEIGHT
        page.setFillColorRGB(0.35, 0.35, 0.35)
        page.setFont(font, ROW_FONT if len(label) <= 4 else ROW_FONT - 2)
        page.drawString(x, y, label)
        page.setFillColorRGB(*INK)
        size = ROW_FONT
        while size > 8 and pdfmetrics.stringWidth(value, font, size) > right_edge - value_x:
            size -= 0.5
        page.setFont(font, size)
        page.drawString(value_x, y, value)


def _draw_reissue_mark(page: canvas.Canvas, font: str, copy: int, *, x: float, y: float) -> None:
    """补发: a red box with 补发 and the copy number (第2份)."""
    page.saveState()
    page.setStrokeColorRGB(*SEAL_RED)
    page.setFillColorRGB(*SEAL_RED)
    page.setLineWidth(2)
    page.roundRect(x - 42, y - 26, 84, 52, 6, stroke=1, fill=0)
    page.setFont(font, 20)
    page.drawCentredString(x, y - 2, "补发")
    page.setFont(font, 10)
    page.drawCentredString(x, y - 19, f"第{copy}份")
    page.restoreState()


def _draw_frame(page: canvas.Canvas, width: float, height: float) -> None:
    page.setStrokeColorRGB(*FRAME_RED)
    page.setLineWidth(5)
    page.rect(22, 22, width - 44, height - 44)
    page.setLineWidth(1.2)
    page.rect(34, 34, width - 68, height - 68)
    for x, y in ((34, 34), (width - 34, 34), (34, height - 34), (width - 34, height - 34)):
        page.setFillColorRGB(*FRAME_RED)
        page.circle(x, y, 5, stroke=0, fill=1)


def _draw_qr(page: canvas.Canvas, text: CertificateText, *, x: float, y: float) -> None:
    qr = QrCodeWidget(
        verification_url(
            text.number, text.name, text.public_url or public_url(), text.verification_code
        )
    )
    left, bottom, right, top = qr.getBounds()
    size = 100
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(qr)
    renderPDF.draw(drawing, page, x, y)
    page.setFillColorRGB(*INK)
    page.setFont(FONT, 9)
    label = "扫码核验"
    if text.verification_code:
        label += f"　核验码 {text.verification_code}"
    page.drawCentredString(x + size / 2, y - 12, label)


def _draw_seal(
    page: canvas.Canvas, font: str, unit_name: str, cx: float, cy: float, *, radius: float
) -> None:
    """The unit's red round seal (公章), drawn from its name: a ring, the name along the upper
    arc, a five-pointed star in the middle and 职称证书专用章 below it."""
    page.saveState()
    page.setStrokeColorRGB(*SEAL_RED)
    page.setFillColorRGB(*SEAL_RED)
    page.setLineWidth(3.2)
    page.circle(cx, cy, radius, stroke=1, fill=0)
    _draw_star(page, cx, cy + 2, outer=radius * 0.3)
    page.setFont(font, 8.5)
    page.drawCentredString(cx, cy - radius * 0.55, "职称证书专用章")
    name = unit_name[:24]
    size = 13 if len(name) <= 14 else 10.5
    page.setFont(font, size)
    sweep = min(250.0, 17.0 * len(name)) if len(name) > 1 else 0.0
    for index, char in enumerate(name):
        angle = 90 + sweep / 2 - (sweep * index / (len(name) - 1) if len(name) > 1 else 0)
        page.saveState()
        page.translate(cx, cy)
        page.rotate(angle - 90)
        page.drawCentredString(0, radius - size - 3, char)
        page.restoreState()
    page.restoreState()


def _draw_star(page: canvas.Canvas, cx: float, cy: float, *, outer: float) -> None:
    inner = outer * 0.382
    path = page.beginPath()
    for point in range(10):
        r = outer if point % 2 == 0 else inner
        theta = math.radians(90 + point * 36)
        x, y = cx + r * math.cos(theta), cy + r * math.sin(theta)
        if point == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    path.close()
    page.drawPath(path, stroke=0, fill=1)


def _demo_key_pair(directory: Path) -> tuple[Path, Path]:
    """The demo key and self-signed certificate, made once. Both files are written in a fresh
    directory that is then renamed into place in one step, so processes starting together never
    pair one's key with another's certificate (the loser of the rename uses the winner's)."""
    final = directory / "demo"
    key_path, cert_path = final / "key.pem", final / "cert.pem"
    if cert_path.exists():
        return key_path, cert_path
    with _lock:
        if cert_path.exists():
            return key_path, cert_path
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="demo-", dir=directory))
        key_pem, cert_pem = _make_demo_key_pair()
        (staging / "key.pem").write_bytes(key_pem)
        (staging / "key.pem").chmod(0o600)
        (staging / "cert.pem").write_bytes(cert_pem)
        try:
            staging.rename(final)
        except OSError:  # another process got there first
            shutil.rmtree(staging, ignore_errors=True)
        return key_path, cert_path


def _make_demo_key_pair() -> tuple[bytes, bytes]:
    """An ECDSA P-256 key and a ten-year self-signed certificate for it, as PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "职称申报评审管理系统"),
            x509.NameAttribute(NameOID.COMMON_NAME, SIGNER_NAME),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str) -> signers.SimpleSigner:
    return signers.SimpleSigner.load(key_path, cert_path)


def signer() -> signers.SimpleSigner:
    key, cert = settings.ZHICHENG_SIGNING_KEY, settings.ZHICHENG_SIGNING_CERT
    if not (key and cert):
        key_path, cert_path = _demo_key_pair(Path(settings.ZHICHENG_SIGNING_DIR))
        key, cert = str(key_path), str(cert_path)
    return _signer(key, cert)


def _run(make_coroutine):
    """Run pyHanko's coroutine to the end. Its synchronous wrapper calls ``asyncio.run``, which
    fails in a thread that already runs an event loop (an ASGI server, or the browser tests'
    Playwright); there the coroutine runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def sign(pdf: bytes, *, location: str) -> bytes:
    """The PDF signed (PAdES baseline, SHA-256). The signature field is invisible: the page
    already carries the seal and Chinese 签发 text, and a signing library's default stamp
    (English, its own fonts) does not belong on a 证书."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="职称电子证书",
        location=location,
    )
    output = io.BytesIO()
    _run(
        lambda: signers.async_sign_pdf(
            writer,
            meta,
            signer=signer(),
            output=output,
            new_field_spec=fields.SigFieldSpec("Signature"),
        )
    )
    return output.getvalue()
