"""The applications tests' small world (reviewers at every level, 张伟 and his drafts), reused:
a 评审表 is always an application's."""

from zhicheng.applications.tests.conftest import (  # noqa: F401
    climb,
    draft,
    fast_password_hashing,
    make_applicant,
    private_media,
    submitted,
    world,
)
from zhicheng.applications.tests.test_browser import browser_errors, demo, scans  # noqa: F401
