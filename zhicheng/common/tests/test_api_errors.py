"""The API's error model: JSON with a Chinese ``detail``, never a 500 for user input; the schema
and the docs; the health check."""

import re

import pytest
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from zhicheng.common.api import ApiErrorMiddleware, exception_handler
from zhicheng.common.errors import ApplicationError


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.fixture
def hr_client(hr_city, api_client):
    return api_client(hr_city)


def test_health_check_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "url", ["/api/v1/no-such-resource/", "/api/nothing", "/api/v1/organizations/x/y/"]
)
def test_unknown_api_urls_get_404_json_in_chinese(hr_client, url):
    response = hr_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert has_chinese(response.json()["detail"])


def test_unknown_api_urls_get_json_even_without_login(db):
    response = APIClient().get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert has_chinese(response.json()["detail"])


@pytest.mark.parametrize("pk", ["999999", "abc", "0", "-1", "1.5", "%20"])
def test_unknown_or_malformed_ids_get_404_json(hr_client, pk):
    response = hr_client.get(f"/api/v1/organizations/{pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "记录不存在或无权访问"


def test_method_not_allowed_gets_405_in_chinese(hr_client, orgs):
    response = hr_client.put(f"/api/v1/organizations/{orgs['unit_a'].pk}/", {}, format="json")
    assert response.status_code == 405
    assert has_chinese(response.json()["detail"])


def test_malformed_json_gets_400_in_chinese(hr_client):
    response = hr_client.post(
        "/api/v1/organizations/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert has_chinese(response.json()["detail"])


def test_unsupported_media_type_gets_415_in_chinese(hr_client):
    response = hr_client.post("/api/v1/organizations/", data="<x/>", content_type="application/xml")
    assert response.status_code == 415
    assert has_chinese(response.json()["detail"])


def test_permission_denied_gets_403_in_chinese(applicant, api_client):
    response = api_client(applicant).get("/api/v1/organizations/")
    assert response.status_code == 403
    assert has_chinese(response.json()["detail"])


def test_application_error_becomes_400_with_its_message():
    response = exception_handler(ApplicationError("上级机构已注销", {"code": "x"}), {})
    assert response.status_code == 400
    assert response.data == {"detail": "上级机构已注销", "code": "x"}


def test_a_database_conflict_becomes_400_not_500():
    response = exception_handler(IntegrityError("duplicate key value"), {})
    assert response.status_code == 400
    assert has_chinese(response.data["detail"])
    assert "duplicate" not in response.data["detail"]


def test_an_unexpected_error_is_a_json_500_without_internals():
    response = exception_handler(RuntimeError("secret internals"), {})
    assert response.status_code == 500
    assert response.data == {"detail": "服务器内部错误，请稍后重试"}


def test_django_html_errors_under_api_become_json():
    middleware = ApiErrorMiddleware(lambda request: HttpResponseServerError("<h1>boom</h1>"))
    response = middleware(RequestFactory().get("/api/v1/organizations/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "boom" not in response.content.decode()


def test_pages_outside_the_api_keep_their_html():
    middleware = ApiErrorMiddleware(lambda request: HttpResponse("<h1>页面</h1>", status=404))
    response = middleware(RequestFactory().get("/orgs/999/"))
    assert response.content.decode() == "<h1>页面</h1>"


# --- Schema and docs -------------------------------------------------------------------------


def test_the_schema_is_valid_openapi_3(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/deregister/",
        "/api/v1/operation-logs/",
    ):
        assert path in paths, path
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_loads_nothing_from_the_internet(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls, "the docs page should load its scripts and styles"
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"https?://", html)
    # Its start-up script is a file of its own (no inline script: the CSP allows none).
    assert "<script>" not in html
    (script,) = [url for url in urls if "script=" in url]
    start = client.get(script.replace("&amp;", "&"))
    assert start["Content-Type"].startswith("application/javascript")
    assert '"validatorUrl": null' in start.content.decode()


def test_validation_messages_drf_leaves_in_english_become_chinese():
    from rest_framework.exceptions import ErrorDetail, ValidationError

    exc = ValidationError(
        {
            "non_field_errors": [ErrorDetail("No data provided", code="null")],
            "name": [ErrorDetail("该字段是必填项。", code="required")],
        }
    )
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["未提供数据"], "name": ["该字段是必填项。"]}
