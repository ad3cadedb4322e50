"""Users see the project's Chinese error pages also where DEBUG is on (the development default
of ``make run``): never Django's English technical 404 listing the URL patterns, nor a
traceback. ``ZHICHENG_DEBUG_PAGES=1`` brings those back for an engineer."""

import pytest
from django.test import Client
from django.urls import path

from zhicheng import urls as project_urls


def _boom(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.ZHICHENG_DEBUG_PAGES = False
    return settings


def test_an_unknown_url_shows_the_chinese_404_under_debug(db, debug_on, hr_city):
    client = Client()
    client.force_login(hr_city)
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "记录不存在或无权访问" in body
    assert "URLconf" not in body and "Page not found" not in body


def test_an_unknown_record_shows_the_chinese_404_under_debug(db, debug_on, hr_city):
    client = Client()
    client.force_login(hr_city)
    response = client.get("/certificates/999999/")
    assert response.status_code == 404
    assert "记录不存在或无权访问" in response.content.decode()


@pytest.mark.urls(__name__)
def test_an_error_shows_the_chinese_500_under_debug(db, debug_on):
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_the_api_keeps_its_json_errors(db, debug_on):
    response = Client().get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {"detail": "接口或记录不存在"}


def test_engineers_may_ask_for_the_technical_pages(db, debug_on):
    debug_on.ZHICHENG_DEBUG_PAGES = True
    response = Client().get("/no/such/page/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()


def test_there_is_a_favicon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("web/favicon.svg")
    assert 'rel="icon"' in Client().get("/login/").content.decode()
