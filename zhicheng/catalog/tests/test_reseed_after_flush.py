import pytest
from django.core.management import call_command

from zhicheng.catalog.models import Specialty, Title, TitleSeries


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_standard_catalogue():
    before = (Specialty.objects.count(), TitleSeries.objects.count(), Title.objects.count())
    assert all(before)
    call_command("flush", interactive=False, verbosity=0)
    after = (Specialty.objects.count(), TitleSeries.objects.count(), Title.objects.count())
    assert after == before
