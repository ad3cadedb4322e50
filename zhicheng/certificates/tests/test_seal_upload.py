"""1.9 印章: an issuing unit's uploaded seal (PNG, transparent background, square-ish, ≤ 1 MB) is
previewed, removed with confirmation, and printed on the certificates issued from then on; without
one the certificate draws the red seal from the unit's name. Bad files are refused in Chinese and
change nothing. The same through ``/api/v1/issuing-units/{id}/seal/``."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw

from zhicheng.certificates.models import IssuingUnit
from zhicheng.certificates.services import issuing, seals
from zhicheng.certificates.tests.test_certificate_face import SCALE, _png
from zhicheng.common.errors import ApplicationError

BLUE = (20, 60, 220, 255)


def seal_bytes(size=(300, 300), *, colour=BLUE, background=(0, 0, 0, 0), fmt="PNG") -> bytes:
    image = Image.new(
        "RGBA" if fmt == "PNG" else "RGB", size, background[: 4 if fmt == "PNG" else 3]
    )
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.05, h * 0.05, w * 0.95, h * 0.95), fill=colour[: len(image.mode)])
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def share_blue(image: Image.Image, box) -> float:
    left, bottom, right, top = box
    crop = image.crop(
        (
            int(left * SCALE),
            int(image.height - top * SCALE),
            int(right * SCALE),
            int(image.height - bottom * SCALE),
        )
    )
    raw = crop.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    return sum(1 for r, g, b in pixels if b > 150 and r < 90 and g < 120) / len(pixels)


def test_a_certificate_carries_the_uploaded_seal(hr_city, nj_unit, pool, held, tmp_path):
    seals.issuing_unit_seal_upload(actor=hr_city, issuing_unit=nj_unit, data=seal_bytes())
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    image = _png(certificate.file.path, tmp_path)
    width = image.width / SCALE
    seal_x, seal_y = width - 215, 150
    assert share_blue(image, (seal_x - 30, seal_y - 30, seal_x + 30, seal_y + 30)) > 0.8
    assert share_blue(image, (300, 250, 500, 350)) == 0


def test_after_removal_the_drawn_red_seal_is_back(hr_city, nj_unit, pool, held, tmp_path):
    seals.issuing_unit_seal_upload(actor=hr_city, issuing_unit=nj_unit, data=seal_bytes())
    stored = IssuingUnit.objects.get(pk=nj_unit.pk).seal
    storage, name = stored.storage, stored.name
    seals.issuing_unit_seal_remove(actor=hr_city, issuing_unit=nj_unit)
    assert not IssuingUnit.objects.get(pk=nj_unit.pk).seal
    (holding,) = held(1)
    certificate = issuing.certificate_issue(actor=hr_city, holding=holding, issuing_unit=nj_unit)
    image = _png(certificate.file.path, tmp_path)
    seal_x, seal_y = image.width / SCALE - 215, 150
    assert share_blue(image, (seal_x - 30, seal_y - 30, seal_x + 30, seal_y + 30)) == 0
    del storage, name  # the file is removed on commit (not visible inside the test transaction)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (seal_bytes(fmt="JPEG"), "PNG格式"),
        (b"not an image at all", "PNG格式"),
        (seal_bytes(background=(255, 255, 255, 255)), "背景须透明"),
        (seal_bytes(size=(400, 200)), "接近正方形"),
        (seal_bytes(size=(50, 50)), "边长"),
        (seal_bytes(size=(1200, 1200)) + b"\0" * (1024 * 1024), "不能超过1MB"),
        (b"", "请选择印章图片"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(hr_city, nj_unit, data, message):
    seals.issuing_unit_seal_upload(actor=hr_city, issuing_unit=nj_unit, data=seal_bytes())
    before = IssuingUnit.objects.get(pk=nj_unit.pk).seal.name
    with pytest.raises(ApplicationError, match=message):
        seals.issuing_unit_seal_upload(actor=hr_city, issuing_unit=nj_unit, data=data)
    assert IssuingUnit.objects.get(pk=nj_unit.pk).seal.name == before


def test_an_officer_outside_the_scope_cannot_touch_the_seal(hr_suzhou, nj_unit):
    with pytest.raises(ApplicationError, match="管辖范围"):
        seals.issuing_unit_seal_upload(actor=hr_suzhou, issuing_unit=nj_unit, data=seal_bytes())


# --- page -------------------------------------------------------------------------------------


def page_url(unit):
    return reverse("certificates:issuing-unit-seal", args=[unit.pk])


def test_the_page_uploads_previews_and_removes_the_seal(client, hr_city, nj_unit):
    client.force_login(hr_city)
    page = client.get(page_url(nj_unit)).content.decode()
    assert "未上传印章" in page and 'enctype="multipart/form-data"' in page
    detail = client.get(reverse("certificates:issuing-unit-detail", args=[nj_unit.pk]))
    assert page_url(nj_unit) in detail.content.decode()

    upload = SimpleUploadedFile("印章.png", seal_bytes(), content_type="image/png")
    response = client.post(page_url(nj_unit), {"seal": upload}, follow=True)
    body = response.content.decode()
    assert "印章已上传" in body and 'data-testid="seal-image"' in body and "data-confirm=" in body
    image = client.get(reverse("certificates:issuing-unit-seal-image", args=[nj_unit.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (300, 300)

    response = client.post(
        reverse("certificates:issuing-unit-seal-remove", args=[nj_unit.pk]), follow=True
    )
    assert "印章已删除" in response.content.decode()
    assert not IssuingUnit.objects.get(pk=nj_unit.pk).seal


def test_the_page_refuses_a_bad_file_with_a_chinese_message(client, hr_city, nj_unit):
    client.force_login(hr_city)
    upload = SimpleUploadedFile("印章.png", seal_bytes(fmt="JPEG"), content_type="image/png")
    response = client.post(page_url(nj_unit), {"seal": upload})
    assert response.status_code == 200
    assert "印章图片须为PNG格式" in response.content.decode()
    assert not IssuingUnit.objects.get(pk=nj_unit.pk).seal


def test_an_applicant_cannot_open_the_seal_page(client, applicant, nj_unit):
    client.force_login(applicant)
    assert client.get(page_url(nj_unit)).status_code == 403


# --- API --------------------------------------------------------------------------------------


def api_url(unit):
    return f"/api/v1/issuing-units/{unit.pk}/seal/"


def test_the_api_puts_gets_and_deletes_the_seal(api_client, hr_city, nj_unit):
    client = api_client(hr_city)
    assert client.get(api_url(nj_unit)).status_code == 404
    assert client.get(f"/api/v1/issuing-units/{nj_unit.pk}/").json()["has_seal"] is False
    upload = SimpleUploadedFile("seal.png", seal_bytes(), content_type="image/png")
    response = client.put(api_url(nj_unit), {"seal": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["has_seal"] is True
    got = client.get(api_url(nj_unit))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert client.delete(api_url(nj_unit)).status_code == 204
    assert client.delete(api_url(nj_unit)).status_code == 400  # nothing left to remove


def test_the_api_refuses_a_bad_seal_with_400(api_client, hr_city, nj_unit):
    client = api_client(hr_city)
    upload = SimpleUploadedFile("seal.png", seal_bytes(size=(400, 200)), content_type="image/png")
    response = client.put(api_url(nj_unit), {"seal": upload}, format="multipart")
    assert response.status_code == 400
    assert "接近正方形" in response.json()["detail"]
    assert client.put(api_url(nj_unit), {}, format="multipart").status_code == 400


def test_the_api_seal_needs_the_change_permission(api_client, applicant, nj_unit):
    client = api_client(applicant)
    upload = SimpleUploadedFile("seal.png", seal_bytes(), content_type="image/png")
    assert client.put(api_url(nj_unit), {"seal": upload}, format="multipart").status_code == 403


def test_the_schema_documents_every_answer_of_the_seal_operations(api_client, hr_city):
    schema = api_client(hr_city).get("/api/schema/?format=json")
    if schema.status_code != 200:
        pytest.skip("schema endpoint not at /api/schema/")
    operations = schema.json()["paths"]["/api/v1/issuing-units/{id}/seal/"]
    assert "image/png" in operations["get"]["responses"]["200"]["content"]
    assert set(operations["get"]["responses"]) >= {"200", "401", "403", "404"}
    put = operations["put"]
    assert "multipart/form-data" in put["requestBody"]["content"]
    assert set(put["responses"]) >= {"200", "400", "401", "403", "404", "413", "415"}
    assert set(operations["delete"]["responses"]) >= {"204", "400", "401", "403", "404"}
