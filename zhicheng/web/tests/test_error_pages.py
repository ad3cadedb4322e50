"""403 / 404 pages speak Chinese and do not tell missing from out of scope."""

from django.urls import reverse


def test_error_pages_are_in_chinese(client, hr_city, settings):
    settings.DEBUG = False
    client.force_login(hr_city)
    html = client.get("/orgs/999999/").content.decode()
    assert "记录不存在或无权访问" in html
    client.force_login(hr_city)
    response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
