"""safe_target: back to a URL of this site, never elsewhere."""

import pytest
from django.test import RequestFactory

from zhicheng.common.redirects import safe_target


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [
        ("/applications/?page=2", False, "/applications/?page=2"),
        ("http://testserver/audit/", False, "http://testserver/audit/"),
        ("https://evil.example/", False, "/fallback/"),
        ("//evil.example/", False, "/fallback/"),
        ("javascript:alert(1)", False, "/fallback/"),
        ("", False, "/fallback/"),
        (None, False, "/fallback/"),
        ("http://testserver/audit/", True, "/fallback/"),  # https page, http target
        ("https://testserver/audit/", True, "https://testserver/audit/"),
    ],
)
def test_safe_target(target, secure, expected):
    request = RequestFactory().get("/", secure=secure)
    assert safe_target(request, target, "/fallback/") == expected
