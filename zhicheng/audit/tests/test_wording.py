"""The operation log reads as sentences in Chinese (issue 10 #8): names, not ids or model
paths; codes as their labels; change times in Asia/Shanghai like the rows' own times."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict

from zhicheng.audit import display
from zhicheng.certificates.models import Certificate, CertificateNumberBatch
from zhicheng.tabular import services as tabular_services


def _entry(model, changes: dict) -> LogEntry:
    return LogEntry(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="1",
        object_repr="x",
        action=LogEntry.Action.UPDATE,
        changes=changes,
    )


def test_related_rows_are_named_and_reverse_relations_left_out(db, hr_city):
    entry = _entry(Certificate, {"revoked_by": ["None", str(hr_city.pk)]})
    summary = display.change_summary(entry, names={})
    assert summary == f"撤销人：（空） → {hr_city}"
    unit = _entry(
        CertificateNumberBatch, {"numbers": ["None", "certificates.CertificateNumber.None"]}
    )
    assert display.change_rows(unit) == []


def test_change_times_are_local(db):
    entry = _entry(Certificate, {"revoked_at": ["None", "2026-12-04 02:30:00+00:00"]})
    (row,) = display.change_rows(entry)
    assert row.new == "2026-12-04 10:30:00"  # Asia/Shanghai


def test_an_export_is_named_by_its_list_and_its_filters_by_their_labels(db, hr_city):
    tabular_services.export_start(
        actor=hr_city, key="applications", params=QueryDict("scope=all&status=approved")
    )
    entry = LogEntry.objects.filter(additional_data__operation="export").latest("pk")
    assert entry.object_repr == "导出“职称申报”"
    summary = entry.additional_data["summary"]
    assert "范围=全部" in summary and "状态=审核通过" in summary
    assert "scope" not in summary and "all" not in summary
