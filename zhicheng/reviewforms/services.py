"""Writes of the 评审表: the employer uploads the signed and sealed scan (one per
application; a new upload replaces the old one, whose file is removed after the commit)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import (
    check_attachment,
    random_stored_name,
    save_with_file,
    uploaded_name,
)
from zhicheng.common.oplog import operation_record

from .models import ReviewFormScan
from .selectors import scan_upload_problem


@transaction.atomic
def review_form_scan_upload(
    *, actor: User, application: Application | int, upload
) -> ReviewFormScan:
    """上传评审表扫描件 (checked by content: PDF/JPG/PNG, ≤ 20 MB, no active PDF content)."""
    app_id = getattr(application, "pk", application)
    app = Application.objects.select_for_update().filter(pk=app_id).first()
    if app is None:
        raise ApplicationError("申报不存在")
    problem = scan_upload_problem(user=actor, application=app)
    if problem:
        raise ApplicationError(problem)
    checked = check_attachment(upload)
    old = ReviewFormScan.objects.select_for_update().filter(application=app).first()
    scan = old or ReviewFormScan(application=app)
    old_file = (old.file.storage, old.file.name) if old else None
    scan.stored_name = random_stored_name(checked)
    scan.original_name = uploaded_name(upload, checked)
    scan.content_type = checked.content_type
    scan.size = checked.size
    scan.sha256 = checked.sha256
    scan.uploaded_by = actor
    scan.uploaded_at = timezone.now()
    save_with_file(scan, upload)
    operation_record(
        actor=actor,
        operation="upload",
        obj=scan,
        summary=f"{'重新' if old else ''}上传评审表扫描件：{app.person.name}（申报编号 {app.pk}）",
    )
    if old_file:
        storage, name = old_file
        transaction.on_commit(lambda: storage.delete(name))
    return scan
