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
