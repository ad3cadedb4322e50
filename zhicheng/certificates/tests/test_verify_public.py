"""Public 证书核验 as JSON (/api/v1/certificate-verification/): anonymous, never the whole 证件号码,
404 for a number and name that do not match, 429 past the per-address rate; documented so."""

from django.core.cache import cache
from django.test import override_settings

from zhicheng.certificates import verification
from zhicheng.certificates.services import issuing

URL = "/api/v1/certificate-verification/"


@override_settings(ZHICHENG_RATE_LIMITS={"verify": "4/hour", "register": "100/hour"})
def test_machines_verify_anonymously_and_are_rate_limited(issued, hr_city, api_client):
    cache.clear()
    certificate = issued[0]
    number, person = certificate.number.number, certificate.holding.person
    api = api_client()
    found = api.get(URL, {"number": number, "name": person.name})
    assert found.status_code == 200
    body = found.json()
    assert body["state"] == "valid" and body["state_display"] == "有效"
    assert body["title"] == certificate.holding.title.name
    assert body["issuing_unit"] == "南京市人力资源和社会保障局"
    assert body["id_number"] == person.masked_id_number != person.id_number
    assert person.id_number not in found.content.decode()

    assert api.get(URL, {"number": number, "name": "别人"}).status_code == 404
    refused = api.get(URL, {"number": "abc", "name": "x", "code": "123456789"})
    # The page's form decides, with its messages, for both.
    assert refused.status_code == 400 and refused.json()["number"] == ["证书编号为18位数字"]
    assert set(refused.json()) == {"number", "code"}
    issuing.certificate_revoke(actor=hr_city, certificate=certificate, reason="提供虚假材料")
    code = verification.verification_code(number)
    revoked = api.get(URL, {"number": number, "name": person.name, "code": code})
    assert revoked.json()["state_display"] == "已撤销"
    limited = api.get(URL, {"number": number, "name": person.name})
    assert limited.status_code == 429


def test_the_openapi_documents_404_and_429(api_client, hr_city):
    schema = api_client(hr_city).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    operation = schema.json()["paths"][URL]["get"]
    assert {"200", "404", "429"} <= set(operation["responses"])
    assert operation.get("security") in (None, [], [{}]) or {} in operation["security"]
