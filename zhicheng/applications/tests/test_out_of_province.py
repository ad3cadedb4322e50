"""省外资格确认: a title obtained in another province, confirmed as 认定 — the applicant names the
province and the certificate and uploads it; it is routed and granted like any 认定."""

import pytest

from zhicheng.applications import services
from zhicheng.applications.models import Application, ApplicationStatus, AttachmentCategory
from zhicheng.catalog.models import AcquisitionMethod
from zhicheng.common.errors import ApplicationError
from zhicheng.routing.models import RouteKind

from .conftest import PERSONAL_DATA, specialty, title_named, upload

pytestmark = pytest.mark.django_db

ORIGIN = {
    "out_of_province": True,
    "origin_province": "浙江省",
    "origin_certificate_number": "ZJ2019-000123",
}


def test_submission_needs_the_other_provinces_certificate(world, draft):
    app = draft("recognition", **ORIGIN)
    with pytest.raises(ApplicationError, match="省外职称证书"):
        services.application_submit(actor=world.applicant, application=app)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.DRAFT


def test_confirmed_like_recognition_up_to_the_acceptance_office(world, draft, climb):
    app = draft("recognition", **ORIGIN)
    services.attachment_add(
        actor=world.applicant,
        application=app,
        category=AttachmentCategory.OUT_OF_PROVINCE_CERTIFICATE,
        upload=upload("浙江证书.png"),
    )
    app = services.application_submit(actor=world.applicant, application=app)
    assert app.route_kind == RouteKind.RECOGNITION
    app = climb(app, "unit_a", "dept_jn_it", "county_jn", "city_nj")
    assert app.status == ApplicationStatus.APPROVED
    assert app.out_of_province and app.origin_province == "浙江省"


def test_only_as_recognition(world, draft):
    with pytest.raises(ApplicationError, match="认定"):
        draft("evaluation", **ORIGIN)
    assert not Application.objects.exists()


def test_province_and_number_are_required_at_submission(world, draft):
    app = draft("recognition", out_of_province=True)
    services.attachment_add(
        actor=world.applicant,
        application=app,
        category=AttachmentCategory.OUT_OF_PROVINCE_CERTIFICATE,
        upload=upload(),
    )
    with pytest.raises(ApplicationError, match="原取得省份、原证书编号"):
        services.application_submit(actor=world.applicant, application=app)


def test_origin_is_cleared_when_not_out_of_province(world, draft):
    app = draft("recognition", origin_province="浙江省")
    assert app.origin_province == ""


def test_api_creates_an_out_of_province_confirmation(world, api_client):
    client = api_client(world.applicant)
    payload = {
        "acquisition_method": AcquisitionMethod.RECOGNITION,
        "title": title_named("工程师").pk,
        "specialty": specialty("080201").pk,
        "employer": world.orgs["unit_a"].pk,
        "integrity_pledged": True,
        "notice_acknowledged": True,
        **ORIGIN,
        **{k: str(v) for k, v in PERSONAL_DATA.items()},
    }
    response = client.post("/api/v1/applications/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["out_of_province"] is True and body["origin_province"] == "浙江省"
    bad = client.post(
        "/api/v1/applications/",
        {
            **payload,
            "acquisition_method": AcquisitionMethod.EVALUATION,
            "title": title_named("高级工程师").pk,
            "committee": world.committee.pk,
        },
        format="json",
    )
    assert bad.status_code == 400 and "认定" in str(bad.json())
