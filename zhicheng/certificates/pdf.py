"""The electronic certificate as a file: reportlab draws one A4 landscape page (the CJK TrueType
font embedded and subset — reportlab's built-in CID fonts are never embedded), with a QR code
pointing at the public verification page; pyHanko signs it (PAdES, SHA-256) with the configured
key. Without a configured key a demo ECDSA P-256 key and self-signed certificate are made once
under ``ZHICHENG_SIGNING_DIR`` (a real deployment sets ``ZHICHENG_SIGNING_KEY`` / ``_CERT``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
import math
import re
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
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
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
    font = TTFont(FONT, path, subfontIndex=0)
    # Every certificate embeds a subset of the font, and reportlab's subsetter copies each table
    # it reads out of the font file again for every document — the whole glyph table (megabytes
    # for a CJK font) for a hundred glyphs. The tables never change: copied once, kept.
    face, tables = font.face, {}
    read_table = face.get_table

    def get_table(tag: str) -> bytes:
        if tag not in tables:
            tables[tag] = read_table(tag)
        return tables[tag]

    face.get_table = get_table
    pdfmetrics.registerFont(font)
    # Binary streams (only Flate): reportlab's default also wraps each stream in ASCII85 — 7-bit
    # clean files, a quarter bigger, through a pure-Python encoder. A process-wide setting of
    # reportlab; every PDF reader reads either.
    rl_config.useA85 = 0
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
    """The QR code as reportlab's ``QrCodeWidget`` draws it (4 modules of quiet zone, one
    rectangle per horizontal run of dark modules, black, scaled to ``size``), each filled on
    its own as the widget does (a reader snaps lone rectangles to the pixel grid: crisp
    modules), written in module units under a scaling matrix — the same shapes without a
    graphics node and four formatted coordinates per run."""
    modules = qr_modules(
        verification_url(
            text.number, text.name, text.public_url or public_url(), text.verification_code
        )
    )
    size = 100
    count = len(modules)
    box = size / (count + 2 * QR_BORDER)
    runs = []
    for row_index, row in enumerate(modules):
        bottom = count - 1 - row_index  # module rows count down from the top
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                runs.append(f"{column} {bottom} {length} 1 re f")
            column += length
    page.saveState()
    page.setFillColorRGB(0, 0, 0)
    origin_x, origin_y = x + QR_BORDER * box, y + QR_BORDER * box
    page.transform(box, 0, 0, box, origin_x, origin_y)
    page.addLiteral("\n".join(runs))
    page.restoreState()
    page.setFillColorRGB(*INK)
    page.setFont(FONT, 9)
    label = "扫码核验"
    if text.verification_code:
        label += f"　核验码 {text.verification_code}"
    page.drawCentredString(x + size / 2, y - 12, label)


QR_BORDER = 4  # the quiet zone, in modules (QrCodeWidget's default)
_QR_FINDER_LIKE = bytes([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0])
_QR_RUN = re.compile(rb"\x00{5,}|\x01{5,}")


def qr_modules(value: str) -> list[list[bool]]:
    """The modules of ``value``'s QR code (level L, the smallest version that fits) exactly as
    reportlab's encoder makes them (a test compares the two). Its ``make`` rebuilds the whole
    symbol and scores it in pure Python for each of the eight masks (~25 ms, and the widget
    makes it twice); here the function patterns of a version are built once, each mask only
    rewrites the data modules, and the score (``_qr_penalty``: ``QRUtil.getLostPoint``'s
    rules, quirks included) runs over byte strings."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    qr.addData(value)
    qr.version = qr.calculate_version()
    gather, masks, template, places = _qr_layout(qr.version)
    data = _qr_codewords(qr.version, qr.errorCorrectLevel, qr.dataList)
    # The data bits in placement order as one integer (the remainder modules light), so that
    # a mask is one XOR; the symbol is then gathered from the template and those bits.
    bits = int.from_bytes(bytes(data), "big") << (places - 8 * len(data))
    n = qr.version * 4 + 17
    best = best_score = None
    for pattern, mask in enumerate(masks):
        values = format(bits ^ mask, f"0{places}b").encode().translate(_QR_UNDIGITS)
        grid = bytes(map((template + values).__getitem__, gather))
        score = _qr_penalty(grid, n)
        if best_score is None or score < best_score:
            best, best_score = (pattern, grid), score
    pattern, grid = best
    qr.moduleCount = n
    qr.modules = [[bool(v) for v in grid[r * n : (r + 1) * n]] for r in range(n)]
    # What ``makeImpl(False, pattern)`` adds to the trial symbol: the format (and version)
    # information and the fixed dark module.
    qr.setupTypeInfo(False, pattern)
    if qr.version >= 7:
        qr.setupTypeNumber(False)
    return qr.modules


def _qr_codewords(version: int, level: int, segments: list) -> list[int]:
    """``QRCode.createData``: the segments, terminator and padding, then each block's
    Reed–Solomon error correction, interleaved — the remainder computed with log tables in one
    pass per block instead of reportlab's recursive polynomial objects."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for segment in segments:
        segment.write(buffer, version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"QR code length overflow ({buffer.getLengthInBits()} > {capacity})")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    codewords = list(buffer.buffer)
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while len(codewords) * 8 < capacity:
        codewords.append(next(pads))
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data_blocks.append(codewords[offset : offset + block.dataCount])
        offset += block.dataCount
        ec_blocks.append(_rs_remainder(data_blocks[-1], block.totalCount - block.dataCount))
    return [
        value
        for group in itertools.chain(
            itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks)
        )
        for value in group
        if value is not None
    ]


_GF_EXP, _GF_LOG = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE


@lru_cache(maxsize=32)
def _rs_generator_logs(degree: int) -> tuple[int, ...]:
    """The logarithms of the generator polynomial's coefficients after the leading 1."""
    generator = qrencoder.QRUtil.getErrorCorrectPolynomial(degree)
    return tuple(_GF_LOG[generator.get(i)] for i in range(1, degree + 1))


def _rs_remainder(data: list[int], degree: int) -> list[int]:
    """data · x^degree mod the generator polynomial over GF(256) (the error correction)."""
    logs = _rs_generator_logs(degree)
    remainder = [0] * degree
    for value in data:
        factor = value ^ remainder[0]
        remainder = remainder[1:] + [0]
        if factor:
            shift = _GF_LOG[factor]
            remainder = [
                r ^ _GF_EXP[(shift + log) % 255] for r, log in zip(remainder, logs, strict=True)
            ]
    return remainder


@lru_cache(maxsize=40)
def _qr_layout(version: int) -> tuple[tuple[int, ...], tuple[int, ...], bytes, int]:
    """Per version, what every symbol of it shares: for each module where it comes from (its
    index in the function-pattern template, or the template's length + its place in the
    encoder's data placement order); per mask pattern which data places it flips (an integer,
    the first place the highest bit); the template (the function patterns as the encoder lays
    them out for a mask trial: format information blank); and the number of data places."""
    probe = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.L)
    probe.moduleCount = n = version * 4 + 17
    probe.modules = [[False] * n for _ in range(n)]
    probe.setupPositionProbePattern(0, 0)
    probe.setupPositionProbePattern(n - 7, 0)
    probe.setupPositionProbePattern(0, n - 7)
    probe.setupPositionAdjustPattern()
    probe.setupTimingPattern()
    probe.setupTypeInfo(True, 0)
    if version >= 7:
        probe.setupTypeNumber(True)
    template = b"".join(bytes(row) for row in probe.modules)
    positions = list(probe.dataPosIterator())
    gather = list(range(n * n))
    for place, (col, row) in enumerate(positions):
        gather[row * n + col] = n * n + place
    masks = tuple(
        int("".join("1" if mask(row, col) else "0" for col, row in positions), 2)
        for mask in map(qrencoder.QRUtil.getMask, range(8))
    )
    return tuple(gather), masks, template, len(positions)


def _qr_penalty(grid: bytes, n: int) -> int:
    """``QRUtil.getLostPoint`` of the symbol in ``grid`` (n × n bytes 0/1, row-major): runs of
    five or more alike in rows and columns (length − 2 each), 3 per 2 × 2 block alike, 40 per
    1011101 0000 pattern — in rows only (reportlab's column scan compares a tuple with a list
    and never matches), leftmost non-overlapping, not at the very last position — and 10 per
    5 % of imbalance between dark and light."""
    rows = [bytes(grid[r * n : (r + 1) * n]) for r in range(n)]
    columns = [bytes(grid[c::n]) for c in range(n)]
    # Every row and column in one string, a separator between them (no run crosses it).
    runs = _QR_RUN.findall(b"\x02".join(rows + columns))
    score = sum(map(len, runs)) - 2 * len(runs)
    full = (1 << n) - 1
    values = [int(row.translate(_QR_DIGITS), 2) for row in rows]
    inner = full >> 1
    for upper, lower in itertools.pairwise(values):
        alike = ~(upper ^ lower) & full
        blocks = alike & (alike >> 1) & ~(upper ^ (upper >> 1)) & inner
        score += 3 * blocks.bit_count()
    for row in rows:
        start = 0
        while (found := row.find(_QR_FINDER_LIKE, start, n - 1)) >= 0:
            score += 40
            start = found + len(_QR_FINDER_LIKE)
    dark = sum(grid)
    score += 10 * (abs(100 * dark // (n * n) - 50) // 5)
    return score


_QR_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_QR_UNDIGITS = bytes.maketrans(b"01", b"\x00\x01")


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
    key = signer()
    _run(
        lambda: signers.async_sign_pdf(
            writer,
            meta,
            signer=key,
            output=output,
            new_field_spec=fields.SigFieldSpec("Signature"),
            bytes_reserved=_bytes_reserved(key),
        )
    )
    return output.getvalue()


@lru_cache(maxsize=4)
def _bytes_reserved(key: signers.SimpleSigner) -> int:
    """The room left in the file for the signature, as pyHanko estimates it: a dry-run
    signature container (same key, certificate and signed attributes) dumped as hex, plus
    pyHanko's 50 % margin. Without it pyHanko builds and signs that dry run before every
    signature (a third of the signing time); it depends on the key only, so it is made once."""
    from cryptography.hazmat.primitives import hashes
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    digest = hashes.Hash(hashes.SHA256()).finalize()
    attributes = PdfCMSSignedAttributes(signing_time=dt.datetime.now(dt.UTC))
    container = _run(
        lambda: key.async_sign(
            digest, "sha256", use_pades=True, dry_run=True, signed_attr_settings=attributes
        )
    )
    estimate = len(container.dump()) * 2
    return estimate + 2 * (estimate // 4)
