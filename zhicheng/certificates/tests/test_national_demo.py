"""The demo's 证书报送人社部 (1.18): some certificates reported, some waiting, one failed —
loading twice changes nothing."""

from django.core.management import call_command

from zhicheng.accounts.models import User
from zhicheng.certificates import selectors
from zhicheng.certificates.models import Certificate, NationalReport, NationalReportStatus


def test_the_demo_reports_some_waits_some_and_fails_one(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    statuses = sorted(NationalReport.objects.values_list("status", flat=True))
    assert statuses == sorted([NationalReportStatus.DELIVERED] * 2 + [NationalReportStatus.FAILED])
    officer = User.objects.get(username="hr_city")
    assert selectors.certificates_awaiting_report_count(user=officer) == 1
    failed = NationalReport.objects.get(status=NationalReportStatus.FAILED)
    assert failed.last_error and failed.attempts == 1
    counts = (Certificate.objects.count(), NationalReport.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Certificate.objects.count(), NationalReport.objects.count()) == counts
