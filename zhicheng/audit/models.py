"""The operation log is django-auditlog's ``LogEntry``; the login log is django-axes'
``AccessLog`` (successes) and ``AccessFailureLog`` (failures). This app adds no tables, only
their data scope: an entry belongs to the organization of the user who acted."""

from auditlog.models import LogEntry

from zhicheng.common.scoping import scope_rule

scope_rule(org_path="actor__organization__path")(LogEntry)
