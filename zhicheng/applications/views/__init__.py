"""Pages of 职称申报 (1.12 资格审核, 1.24 审核流程查询) and of the applicant's side.

By page group: ``lists`` (the officers' lists and 批量审核通过), ``pages`` (one application:
详情 and 审核, 过程跟踪, 电子档案, the applicant's 提交 / 撤回), ``form`` (the applicant's form and
its HTMX sections); ``_common`` holds what they share. Every view is importable from
``zhicheng.applications.views`` as before.
"""

from .form import ApplicationFormView, FormOptionsView, FormTitlesView
from .lists import ApplicationListBase, BatchApproveView, ReviewListView, TraceListView
from .pages import (
    ApplicantActionView,
    ApplicationDetailView,
    ApplicationPageMixin,
    ApplicationReviewView,
    AttachmentDeleteView,
    AttachmentFileView,
    AttachmentsView,
    TimelineView,
)

__all__ = [
    "ApplicantActionView",
    "ApplicationDetailView",
    "ApplicationFormView",
    "ApplicationListBase",
    "ApplicationPageMixin",
    "ApplicationReviewView",
    "AttachmentDeleteView",
    "AttachmentFileView",
    "AttachmentsView",
    "BatchApproveView",
    "FormOptionsView",
    "FormTitlesView",
    "ReviewListView",
    "TimelineView",
    "TraceListView",
]
