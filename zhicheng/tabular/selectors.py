"""Reads of import batches and export jobs: scoped, and only ever the requesting user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zhicheng.common.scoping import get_scoped_or_404, scoped
from zhicheng.tabular.models import ExportJob, ImportBatch

if TYPE_CHECKING:
    from zhicheng.accounts.models import User


def import_batch_get(*, user: User, pk) -> ImportBatch:
    """404 for a batch that is missing or uploaded by someone else."""
    return get_scoped_or_404(ImportBatch.objects.filter(actor_id=user.pk), user, pk)


def export_job_get(*, user: User, pk) -> ExportJob:
    """404 for a job that is missing or belongs to someone else (the download is the owner's)."""
    return get_scoped_or_404(ExportJob.objects.filter(actor_id=user.pk), user, pk)


def export_job_list(*, user: User) -> QuerySet[ExportJob]:
    return scoped(ExportJob.objects.filter(actor_id=user.pk), user).order_by("-created_at")
