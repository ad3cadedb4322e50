"""Demo 评审表: ``unit_a`` has uploaded the signed scan of 孙丽's 评审 高级工程师 (waiting at
``committee_eng``, which sees the generated form and the scan side by side). Idempotent."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from zhicheng.accounts.models import User
from zhicheng.applications.models import Application, ApplicationStatus
from zhicheng.common.samples import pdf_bytes
from zhicheng.orgs.models import Organization

from . import services
from .models import ReviewFormScan


def load(orgs: dict[str, Organization]) -> None:
    unit = User.objects.filter(username="unit_a").first()
    app = (
        Application.objects.filter(
            employer=orgs["unit_a"],
            person__name="孙丽",
            title__name="高级工程师",
            status=ApplicationStatus.UNDER_REVIEW,
        )
        .order_by("pk")
        .first()
    )
    if unit is None or app is None or ReviewFormScan.objects.filter(application=app).exists():
        return
    services.review_form_scan_upload(
        actor=unit,
        application=app,
        upload=SimpleUploadedFile("评审表（签字盖章）.pdf", pdf_bytes(), "application/pdf"),
    )
