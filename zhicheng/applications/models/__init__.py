"""职称申报 (guide 1.12), its level-by-level review and the process timeline (1.24).

An ``Application`` is made by an applicant (a ``Person`` with a login) for one title (which fixes
the level) by one 取得方式: 初定 / 认定 go to an acceptance office, 评审 to a committee. On
submission the review route from the employer to the top is resolved and **stored**
(``route_chain``, and as ``ApplicationRouteNode`` rows for the scope), so reconfiguring routes
never moves an application in flight. It then waits at one organization at a time
(``current_organization``): each level approves it upwards or returns it one level down; the
top's approval makes it effective (a ``titles.TitleHolding`` granted for 初定/认定; qualified
for the committee for 评审). Every step appends a ``ReviewRecord``; the records are the 过程跟踪
timeline.

Statuses and their allowed moves are the ``TRANSITIONS`` table; ``services._transition`` is the
only code that assigns ``status``.

Modules: ``application`` (statuses, ``TRANSITIONS``, the application, its route nodes, work
history and attachments), ``records`` (``ReviewRecord``), ``determination`` (学历
and the 初定 rules). Import from ``zhicheng.applications.models``.
"""

from .application import (
    APPLICATION_METHODS,
    BLOCKING_STATUSES,
    COMMITTEE_TURN,
    EDITABLE_STATUSES,
    LEVEL_COMMITTEE_KIND,
    METHOD_ROUTE_KIND,
    MODULE_CATEGORIES,
    MODULE_FIELDS,
    OFFICERS_TURN,
    OUT_OF_PROVINCE_ATTACHMENTS,
    REQUIRED_ATTACHMENTS,
    TRANSITIONS,
    Application,
    ApplicationQuerySet,
    ApplicationRouteNode,
    ApplicationStatus,
    Attachment,
    AttachmentCategory,
    ReturnModule,
    ReviewAction,
    WorkExperience,
    attachment_path,
)
from .determination import Education, InitialDeterminationRule
from .records import ReturnReason, ReviewRecord, ReviewRecordQuerySet

__all__ = [
    "APPLICATION_METHODS",
    "BLOCKING_STATUSES",
    "EDITABLE_STATUSES",
    "LEVEL_COMMITTEE_KIND",
    "METHOD_ROUTE_KIND",
    "MODULE_CATEGORIES",
    "MODULE_FIELDS",
    "OUT_OF_PROVINCE_ATTACHMENTS",
    "REQUIRED_ATTACHMENTS",
    "TRANSITIONS",
    "COMMITTEE_TURN",
    "OFFICERS_TURN",
    "Application",
    "ApplicationQuerySet",
    "ApplicationRouteNode",
    "ApplicationStatus",
    "Attachment",
    "AttachmentCategory",
    "Education",
    "InitialDeterminationRule",
    "ReturnModule",
    "ReturnReason",
    "ReviewAction",
    "ReviewRecord",
    "ReviewRecordQuerySet",
    "WorkExperience",
    # referenced by migration 0001 (``upload_to``)
    "attachment_path",
]
