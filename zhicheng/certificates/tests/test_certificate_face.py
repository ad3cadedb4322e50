"""The certificate's face (issue 10 #2): rendered to PNG by poppler (pdftoppm, an independent
renderer), it carries the issuing unit's red round seal with Chinese 签发单位 / 签发时间, a red
frame, and no signing library's stamp; a 评审 title names its committee."""

import shutil
import subprocess

import pytest
from PIL import Image

from zhicheng.certificates import pdf
from zhicheng.certificates.services import issuing

DPI = 50
SCALE = DPI / 72  # PDF points → pixels


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def _png(path: str, tmp_path) -> Image.Image:
    root = tmp_path / "page"
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(DPI), "-png", "-singlefile", path, str(root)], check=True
    )
    return Image.open(f"{root}.png").convert("RGB")


def _share_red(image: Image.Image, box_points: tuple[float, float, float, float]) -> float:
    """The share of seal-red pixels in a box given in PDF points from the bottom-left corner."""
    left, bottom, right, top = box_points
    height = image.height
    crop = image.crop(
        (
            int(left * SCALE),
            int(height - top * SCALE),
            int(right * SCALE),
            int(height - bottom * SCALE),
        )
    )
    raw = crop.tobytes()  # RGB, three bytes a pixel
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    red = sum(1 for r, g, b in pixels if r > 110 and g < 90 and b < 90 and r > 2 * g)
    return red / len(pixels)


def test_the_certificate_carries_the_seal_and_chinese_signing_text(
    hr_city, nj_unit, pool, held, tmp_path
):
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    path = certificate.file.path
    image = _png(path, tmp_path)
    width, height = image.width / SCALE, image.height / SCALE
    assert width > height  # A4 landscape

    # The seal: a red ring and star around its centre; the page's middle has no red at all.
    seal_x, seal_y = width - 215, 150
    assert _share_red(image, (seal_x - 65, seal_y - 65, seal_x + 65, seal_y + 65)) > 0.06
    assert _share_red(image, (seal_x - 8, seal_y - 4, seal_x + 8, seal_y + 10)) > 0.5  # the star
    assert _share_red(image, (300, 250, 500, 350)) == 0
    # The frame runs red along the edges.
    assert _share_red(image, (19, 100, 25, height - 100)) > 0.4

    text = subprocess.run([_tool("pdftotext"), path, "-"], capture_output=True, text=True).stdout
    assert "签发单位：南京市人力资源和社会保障局" in text and "签发时间：" in text
    assert "Digitally signed" not in text and "Signed by" not in text
    # The signature is valid and invisible: no stamp of the signing library on the page.
    signature = subprocess.run([_tool("pdfsig"), path], capture_output=True, text=True).stdout
    assert "Signature is Valid." in signature
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(path, "rb") as handle:
        reader = PdfFileReader(handle)
        (embedded,) = reader.embedded_signatures
        widget = embedded.sig_field
        assert [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])] == [0, 0, 0, 0]
        assert "/AP" not in widget


def test_an_evaluated_title_names_its_committee(tmp_path):
    text = pdf.CertificateText(
        number="320100012026000009",
        name="李娜",
        id_number="320102199001011234",
        title="正高级工程师",
        level="正高级",
        specialty="机械工程",
        acquisition="评审",
        approved_on="2026年11月30日",
        approving_organization="江苏省人力资源和社会保障厅",
        issuing_unit="江苏省人力资源和社会保障厅",
        issued_on="2026年12月04日",
        committee="江苏省工程技术高级职称评审委员会",
    )
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.render(text))
    out = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True)
    assert "评审机构" in out.stdout and "江苏省工程技术高级职称评审委员会" in out.stdout


def test_the_face_carries_every_field_of_a_paper_certificate(hr_city, nj_unit, pool, held):
    """姓名, 性别, 证件号码 (whole: the signed file is the holder's), 职称名称, 系列, 专业, 级别,
    取得方式, 审批机构, 批准文号, 取得资格时间, 发证单位, 发证日期, 证书编号, the QR code and the
    核验码 — each label and its value in the text poppler extracts."""
    from zhicheng.certificates.verification import verification_code

    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    text = subprocess.run(
        [_tool("pdftotext"), certificate.file.path, "-"], capture_output=True, text=True
    ).stdout
    person, number = holding.person, certificate.number.number
    expected = {
        "姓名": person.name,
        "性别": person.get_gender_display(),
        "证件号码": person.id_number,
        "职称名称": holding.title.name,
        "系列": holding.title.series.name,
        "专业": holding.specialty.name,
        "级别": holding.get_level_display(),
        "取得方式": holding.get_acquisition_method_display(),
        "审批机构": holding.approving_organization.name,
        "批准文号": holding.document_number or "—",
        "取得资格时间": f"{holding.approved_on:%Y年%m月%d日}",
        "发证单位": "南京市人力资源和社会保障局",
        "发证日期": "年",
        "证书编号": number,
        "核验码": verification_code(number),
    }
    flat = text.replace("\n", "")
    for label, value in expected.items():
        assert label in text, label
        assert value and value in flat, (label, value)
    assert person.get_gender_display() in ("男", "女")
    assert "扫码核验" in text


def test_changing_one_byte_breaks_the_signature(hr_city, nj_unit, pool, held, tmp_path):
    """Tampering: flip bytes inside the signed content of a stored certificate → poppler's
    pdfsig and the system's own check (``verification.signature_check``) both say invalid,
    while the original is valid for both."""
    from zhicheng.certificates.verification import signature_check

    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    original = certificate.file.open("rb").read()
    good = tmp_path / "good.pdf"
    good.write_bytes(original)
    out = subprocess.run([_tool("pdfsig"), str(good)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out
    assert signature_check(original).intact

    # One byte of the page's content stream (inside the signed range, before the signature).
    tampered = bytearray(original)
    start = original.index(b"stream", original.index(b"/Length")) + 10
    tampered[start] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(tampered))
    out = subprocess.run([_tool("pdfsig"), str(bad)], capture_output=True, text=True).stdout
    assert "Signature is Valid." not in out
    assert "Signature is Invalid." in out or "Digest Mismatch" in out
    check = signature_check(bytes(tampered))
    assert check.signed and not check.intact

    # The title changed as text in the page (same length): invalid too.
    assert signature_check(b"not a pdf").intact is False
