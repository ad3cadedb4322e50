"""Attachments are what their bytes say: an active PDF (scripts, automatic actions, embedded
files) is refused on the page and the API, and a file is named, stored and served as the type
its content was recognised as (a JPEG uploaded as ``x.pdf`` is ``x.jpg``, ``image/jpeg``)."""

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PdfFileWriter
from reportlab.pdfgen import canvas

from zhicheng.applications.models import Attachment
from zhicheng.common import pdf_active
from zhicheng.common.files import name_for_type
from zhicheng.common.pdf_active import UnreadablePdf, pdf_active_content

from .conftest import pdf_bytes, upload

BASE = "/api/v1/applications/"
REFUSED = "存在安全风险，不能上传"
# Smallest byte pattern the content check recognises as a JPEG: SOI, an APP0 segment, EOI.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"

JS_ACTION = b"<</S/JavaScript/JS(app.alert\\(1\\))>>"


def with_object_stream(action: dict) -> bytes:
    """A PDF (cross-reference stream) whose /OpenAction action sits in a compressed object
    stream: no byte of the file spells its names."""
    writer = PdfFileWriter(stream_xrefs=True)
    packed = writer.prepare_object_stream()
    values = {
        pdf_name(key): pdf_name(value) if value.startswith("/") else generic.TextStringObject(value)
        for key, value in action.items()
    }
    writer.root[pdf_name("/OpenAction")] = writer.add_object(
        generic.DictionaryObject(values), obj_stream=packed
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def office_like_pdf() -> bytes:
    """What office software exports: text, a web link, /OpenAction showing the first page."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "Curriculum vitae /JS /JavaScript /Launch")
    page.linkURL("https://www.mohrss.gov.cn/", (100, 600, 300, 620))
    page.showPage()
    page.save()
    return buffer.getvalue()


ACTIVE = {
    "javascript on open": pdf_bytes(catalog_extra=b"/OpenAction 4 0 R", objects=[JS_ACTION]),
    "hex-escaped names": pdf_bytes(
        catalog_extra=b"/OpenAction<</S/J#61vaScript/J#53(app.alert\\(1\\))>>"
    ),
    "document-level script": pdf_bytes(
        catalog_extra=b"/Names<</JavaScript<</Names[(a) 4 0 R]>>>>", objects=[JS_ACTION]
    ),
    "page additional action": pdf_bytes(page_extra=b"/AA<</O 4 0 R>>", objects=[JS_ACTION]),
    "launch on a link": pdf_bytes(
        page_extra=b"/Annots[4 0 R]",
        objects=[b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/Launch/F(cmd.exe)>>>>"],
    ),
    "url opened on open": pdf_bytes(catalog_extra=b"/OpenAction<</S/URI/URI(http://x.example)>>"),
    "submit form": pdf_bytes(
        page_extra=b"/Annots[4 0 R]",
        objects=[b"<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/SubmitForm/F(http://x)>>>>"],
    ),
    "embedded file": pdf_bytes(
        catalog_extra=b"/Names<</EmbeddedFiles<</Names[(a.exe) 4 0 R]>>>>",
        objects=[
            b"<</Type/Filespec/F(a.exe)/EF<</F 5 0 R>>>>",
            b"<</Length 0>>stream\n\nendstream",
        ],
    ),
    "xfa form": pdf_bytes(catalog_extra=b"/AcroForm<</Fields[]/XFA 4 0 R>>", objects=[b"[]"]),
    "rich media": pdf_bytes(
        page_extra=b"/Annots[4 0 R]",
        objects=[b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 9 9]>>"],
    ),
    "in a compressed object stream": with_object_stream(
        {"/S": "/JavaScript", "/JS": "app.alert(1)"}
    ),
    "launch in an object stream, hex-escaped": with_object_stream({"/S": "/L#61unch"}),
    "an object the cross-reference does not list": pdf_bytes()
    + b"9 0 obj\n<</S/JavaScript/JS(app.alert\\(1\\))>>\nendobj\n%%EOF\n",
}

PLAIN = {
    "blank page": pdf_bytes(),
    "opens on its first page": pdf_bytes(catalog_extra=b"/OpenAction[3 0 R/XYZ null null 0]"),
    "goto action on open": pdf_bytes(catalog_extra=b"/OpenAction<</S/GoTo/D[3 0 R/Fit]>>"),
    "office export with a web link": office_like_pdf(),
    "script words in a title string": pdf_bytes(catalog_extra=b"/Lang(zh /JS /AA\\) x)"),
}


@pytest.mark.parametrize("data", ACTIVE.values(), ids=ACTIVE.keys())
def test_active_pdfs_are_found(data):
    assert pdf_active_content(data)


@pytest.mark.parametrize("data", PLAIN.values(), ids=PLAIN.keys())
def test_plain_pdfs_pass(data):
    assert pdf_active_content(data) is None


def test_each_reading_finds_a_script_in_an_object_stream_on_its_own():
    data = ACTIVE["in a compressed object stream"]
    assert b"JavaScript" not in data
    assert pdf_active_content(data) == "JavaScript 脚本"
    assert pdf_active._raw_active(data) == "JavaScript 脚本"
    assert pdf_active._structural_active(data) == "打开文件时自动执行的动作"


def test_the_structure_sees_a_script_the_raw_reading_is_tricked_out_of():
    # A string that looks like the start of stream data hides the next object from a byte scan;
    # a PDF reader (and a viewer) reads the object.
    data = pdf_bytes(
        catalog_extra=b"/OpenAction 4 0 R/Lang(stream\n)",
        objects=[JS_ACTION + b"\n% endstream"],
    )
    assert pdf_active._raw_active(data) is None
    assert pdf_active._structural_active(data) == "打开文件时自动执行的动作"
    assert pdf_active_content(data)


def encrypted(user_password: str, *, script: bool = False) -> bytes:
    writer = PdfFileWriter(stream_xrefs=False)
    if script:
        action = {pdf_name("/S"): pdf_name("/JavaScript"), pdf_name("/JS"): pdf_name("/x")}
        writer.root[pdf_name("/OpenAction")] = writer.add_object(generic.DictionaryObject(action))
    writer.encrypt("owner-secret", user_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdfs_are_read_with_the_empty_password_or_not_kept():
    assert pdf_active_content(encrypted("")) is None  # opens in every viewer: checked
    assert pdf_active_content(encrypted("", script=True)) == "JavaScript 脚本"
    with pytest.raises(UnreadablePdf):  # no reviewer could open it either
        pdf_active_content(encrypted("secret"))


def test_a_pdf_that_cannot_be_read_is_not_kept():
    with pytest.raises(UnreadablePdf):
        pdf_active_content(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")


def test_an_active_pdf_is_refused_through_the_api(world, api_client, draft):
    app = draft("evaluation", complete=False)
    response = api_client(world.applicant).post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("简历.pdf", ACTIVE["hex-escaped names"])},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "文件“简历.pdf”含有JavaScript 脚本，存在安全风险，不能上传。"
        "请用办公软件“导出为PDF”或“打印为PDF”另存为普通PDF后重新上传"
    )
    assert not Attachment.objects.filter(application=app).exists()


def test_an_active_pdf_is_refused_on_the_page(world, client, draft):
    app = draft("evaluation", complete=False)
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:application-attachments", args=[app.pk]),
        {"category": "other", "file": upload("a.pdf", ACTIVE["launch on a link"])},
    )
    assert response.status_code == 200
    assert "含有启动外部程序，存在安全风险" in response.content.decode()
    assert not Attachment.objects.filter(application=app).exists()
    broken = client.post(
        reverse("applications:application-attachments", args=[app.pk]),
        {"category": "other", "file": upload("b.pdf", b"%PDF-1.4\nnot really\n%%EOF\n")},
    )
    assert "PDF结构无法读取" in broken.content.decode()


def test_a_jpeg_uploaded_as_pdf_is_stored_and_served_as_jpg(world, api_client, draft):
    app = draft("evaluation", complete=False)
    client = api_client(world.applicant)
    response = client.post(
        f"{BASE}{app.pk}/attachments/",
        {"category": "other", "file": upload("毕业证书.pdf", JPEG, "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert attachment.original_name == "毕业证书.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.endswith(".jpg")
    served = client.get(response.json()["url"])
    assert served["Content-Type"] == "image/jpeg"
    assert "%E6%AF%95%E4%B8%9A%E8%AF%81%E4%B9%A6.jpg" in served["Content-Disposition"]
    assert ".pdf" not in served["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("照片.pdf", "image/jpeg", "照片.jpg"),
        ("scan.JPEG", "image/jpeg", "scan.JPEG"),
        ("扫描件", "application/pdf", "扫描件.pdf"),
        ("v1.2 申报表", "image/png", "v1.2 申报表.png"),
        ("a.png.exe", "image/png", "a.png.png"),
        ("长" * 300 + ".pdf", "application/pdf", "长" * 196 + ".pdf"),
    ],
)
def test_names_take_the_extension_of_the_detected_type(name, content_type, expected):
    assert name_for_type(name, content_type) == expected
