import pytest
from django.core.management import call_command

from zhicheng.applications.models import InitialDeterminationRule


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_seeded_initial_determination_rules():
    before = InitialDeterminationRule.objects.count()
    assert before == 5
    call_command("flush", interactive=False, verbosity=0)
    assert InitialDeterminationRule.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_migrate_does_not_bring_back_a_rule_an_officer_removed():
    InitialDeterminationRule.objects.filter(education="doctor").delete()
    call_command("migrate", verbosity=0)
    assert InitialDeterminationRule.objects.count() == 4
