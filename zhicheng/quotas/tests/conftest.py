import pytest

from zhicheng.accounts.roles import Role
from zhicheng.quotas import services

COUNTS = {
    "senior_approved": 10,
    "senior_filled": 7,
    "senior_requested": 3,
    "intermediate_approved": 20,
    "intermediate_filled": 20,
    "intermediate_requested": 0,
}
CONTACT = {"contact_name": "王敏", "contact_phone": "025-52100000"}


@pytest.fixture
def unit_a_officer(orgs, make_user):
    return make_user(orgs["unit_a"], Role.EMPLOYER_OFFICER, username="t_unit_a")


@pytest.fixture
def unit_f_officer(orgs, make_user):
    return make_user(orgs["unit_f"], Role.EMPLOYER_OFFICER, username="t_unit_f")


@pytest.fixture
def declared(unit_a_officer):
    """unit_a's declaration for 2025."""
    return services.quota_declaration_create(actor=unit_a_officer, year=2025, **COUNTS, **CONTACT)
