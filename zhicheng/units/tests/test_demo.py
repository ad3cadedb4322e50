"""The demo, with the 内部公示 rule on as in production: it loads (the replayed history approves
without a publicity), shows a unit awaiting approval and a unit with its publicity done, whose
officer can recommend at once; loading twice changes nothing."""

import pytest
from django.core.management import call_command

from zhicheng.accounts.models import User
from zhicheng.applications import services as application_services
from zhicheng.units import selectors
from zhicheng.units.demo import pending_uscc
from zhicheng.units.models import RegistrationStatus, UnitPublicity, UnitRegistration


@pytest.mark.unit_publicity
def test_the_demo_has_a_pending_unit_and_a_finished_publicity(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    assert settings.ZHICHENG_UNIT_PUBLICITY_REQUIRED
    reg = UnitRegistration.objects.get(uscc=pending_uscc())
    assert reg.status == RegistrationStatus.PENDING
    hr_city = User.objects.get(username="hr_city")
    assert reg in selectors.unit_registration_list(user=hr_city)
    (publicity,) = UnitPublicity.objects.all()
    assert publicity.has_result
    officer = User.objects.get(username="unit_a")
    app = publicity.applications.first()
    assert selectors.unit_publicity_problem(app) == ""
    response = client.post("/login/", {"username": reg.uscc, "password": "Demo@2026"})
    assert "等待主管单位" in response.content.decode()
    call_command("load_demo", verbosity=0)
    assert UnitPublicity.objects.count() == 1 and UnitRegistration.objects.count() == 1
    outcome = application_services.application_approve(actor=officer, application=app)
    assert outcome.application.route_position == 1
