"""Content-Security-Policy on every response; the pages' policy allows no inline script or
style and no other origin; Swagger UI gets its inline <style>; served files may run nothing."""

import pytest
from django.urls import reverse

from zhicheng.common.security import API_POLICY, FILE_POLICY, PAGE_POLICY

CSP = "Content-Security-Policy"


def directives(policy: str) -> dict[str, str]:
    return dict((part.strip() + " ").split(" ", 1) for part in policy.split(";"))


def test_the_page_policy_allows_this_origin_only_and_no_inline_code():
    page = directives(PAGE_POLICY)
    assert page["script-src"].strip() == "'self'"
    assert page["style-src"].strip() == "'self'"
    assert page["frame-ancestors"].strip() == "'none'"
    assert "unsafe" not in PAGE_POLICY and "http" not in PAGE_POLICY
    files = directives(FILE_POLICY)
    assert files["default-src"].strip() == "'none'" and "sandbox" in files
    assert files["frame-ancestors"].strip() == "'self'"


@pytest.mark.parametrize("path", ["/login/", "/register/", "/verify/", "/no-such-page/"])
def test_every_page_sends_the_policy(client, db, path):
    response = client.get(path)
    assert response[CSP] == PAGE_POLICY
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_and_the_api_send_it_too(client, api_client, hr_city):
    client.force_login(hr_city)
    assert client.get(reverse("web:home"))[CSP] == PAGE_POLICY
    assert api_client(hr_city).get("/api/v1/organizations/")[CSP] == API_POLICY
    assert client.get("/api/v1/no-such-resource/")[CSP] == API_POLICY


def test_the_api_pages_allow_inline_styles_only(client, db):
    response = client.get("/api/docs/")
    assert response[CSP] == API_POLICY
    assert directives(API_POLICY)["script-src"].strip() == "'self'"
    assert directives(API_POLICY)["style-src"].strip() == "'self' 'unsafe-inline'"
