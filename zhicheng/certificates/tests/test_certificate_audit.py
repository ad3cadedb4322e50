"""What the operation log records of a certificate created: its own fields, read without a
query (a job's chunk logs 20 at once: a query each was a fifth of the job's own time)."""

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhicheng.certificates.models import Certificate


def test_a_certificate_created_is_logged_with_its_own_fields_only(issued):
    certificate = Certificate.objects.get(pk=issued[0].pk)
    with CaptureQueriesContext(connection) as queries:
        changes = model_instance_diff(None, certificate)
    assert len(queries) == 0
    assert {"verification_record", "reissues", "national_reports", "file"}.isdisjoint(changes)
    assert {"number", "holding", "status"} <= set(changes)
    entry = LogEntry.objects.get_for_object(certificate).filter(action=LogEntry.Action.CREATE)
    logged = entry.get().changes_dict
    assert "reissues" not in logged and "verification_record" not in logged
