"""In Chromium, as the city bureau's HR officer: 1.9 详情 → 印章; a JPEG is refused in Chinese,
a transparent PNG is uploaded and previewed, 删除印章 asks for confirmation first."""

import os

import pytest
from playwright.sync_api import expect

from zhicheng.certificates.models import IssuingUnit
from zhicheng.certificates.tests.test_browser import log_in
from zhicheng.certificates.tests.test_seal_upload import seal_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_preview_and_remove_a_seal(page, live_server, hr_city, nj_unit, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    good, bad = tmp_path / "印章.png", tmp_path / "印章.jpg"
    good.write_bytes(seal_bytes())
    bad.write_bytes(seal_bytes(fmt="JPEG"))
    log_in(page, live_server, hr_city.username)
    page.goto(f"{live_server.url}/certificates/issuing-units/{nj_unit.pk}/")
    page.click(".detail-actions a:has-text('印章')")
    expect(page.locator('[data-testid="seal-none"]')).to_be_visible()

    page.set_input_files("#id_seal", str(bad))
    page.click("button[type=submit]:has-text('上传印章')")
    expect(page.locator('[data-testid="form-error"]')).to_contain_text("印章图片须为PNG格式")
    assert not IssuingUnit.objects.get(pk=nj_unit.pk).seal

    page.set_input_files("#id_seal", str(good))
    page.click("button[type=submit]:has-text('上传印章')")
    expect(page.locator(".alert-success")).to_contain_text("印章已上传")
    image = page.locator('[data-testid="seal-image"]')
    expect(image).to_be_visible()
    # visible is not loaded: wait for the decoded image before reading its size
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 300

    page.click("button:has-text('删除印章')")
    modal = page.locator("#confirm-modal")
    expect(modal).to_contain_text("确定删除发证单位")
    assert IssuingUnit.objects.get(pk=nj_unit.pk).seal  # nothing before the confirmation
    modal.locator("[data-confirm-ok]").click()
    expect(page.locator(".alert-success")).to_contain_text("印章已删除")
    expect(page.locator('[data-testid="seal-none"]')).to_be_visible()
    assert not IssuingUnit.objects.get(pk=nj_unit.pk).seal
    assert errors == []
