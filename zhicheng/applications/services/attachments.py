"""The 电子档案: the applicant uploads and deletes files while the application is editable."""

from __future__ import annotations

from django.db import transaction

from zhicheng.accounts.models import User
from zhicheng.common.errors import ApplicationError
from zhicheng.common.files import (
    check_attachment,
    random_stored_name,
    save_with_file,
    uploaded_name,
)
from zhicheng.common.oplog import operation_record

from ..models import (
    Application,
    Attachment,
    AttachmentCategory,
)
from ._common import (
    _lock,
    _require_owner,
)


def _check_module(app: Application, category: str) -> None:
    """退回补正: only the named modules' material may change."""
    if not app.may_edit_category(category):
        label = AttachmentCategory(category).label
        raise ApplicationError(
            f"本次退回只需补正：{'、'.join(app.return_module_labels)}；"
            f"“{label}”不在补正范围内，不能修改"
        )


@transaction.atomic
def attachment_add(
    *, actor: User, application: Application | int, category: str, upload
) -> Attachment:
    """Upload one file to the 电子档案 (checked by content, ≤ 20 MB)."""
    app = _lock(application)
    _require_owner(app, actor)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改电子档案")
    if category not in AttachmentCategory.values:
        raise ApplicationError("请选择材料类别")
    _check_module(app, category)
    checked = check_attachment(upload)
    attachment = Attachment(
        application=app,
        category=category,
        stored_name=random_stored_name(checked),
        original_name=uploaded_name(upload, checked),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    save_with_file(attachment, upload)
    operation_record(
        actor=actor,
        operation="upload",
        obj=attachment,
        summary=f"上传{attachment.get_category_display()}：{attachment.original_name}",
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    app = _lock(attachment.application_id)
    _require_owner(app, actor)
    if not app.is_editable:
        raise ApplicationError(f"申报{app.get_status_display()}，不能修改电子档案")
    locked = (
        Attachment.objects.select_for_update().filter(pk=attachment.pk, application=app).first()
    )
    if locked is None:
        raise ApplicationError("附件不存在")
    _check_module(app, locked.category)
    storage, name = locked.file.storage, locked.file.name
    operation_record(
        actor=actor,
        operation="delete",
        obj=locked,
        summary=f"删除{locked.get_category_display()}：{locked.original_name}",
    )
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))
