"""The layering rule of ``tools/lint.py`` (``layer_problems``): passes on its good examples,
fails on its bad ones, and passes on the tree."""

import importlib.util
import textwrap
from pathlib import Path

import pytest

LINT_PATH = Path(__file__).resolve().parents[3] / "tools" / "lint.py"
_spec = importlib.util.spec_from_file_location("zhicheng_tools_lint", LINT_PATH)
lint = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint)

GOOD = [
    ("common/oplog.py", "from auditlog.models import LogEntry\n"),
    ("common/services.py", "from zhicheng.common.errors import ApplicationError\n"),
    (
        "web/widgets.py",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from zhicheng.accounts.models import User\n",
    ),
    ("tabular/services.py", "from zhicheng.common.oplog import operation_record\n"),
    ("certificates/forms.py", "from zhicheng.orgs.widgets import OrganizationTypeaheadField\n"),
    ("certificates/forms.py", "from zhicheng.web.forms import BaseForm\n"),
    ("portal/dashboard.py", "from zhicheng.applications import selectors\n"),
    ("portal/api_urls.py", "from zhicheng.plans import api as plans_api\n"),
    ("plans/services.py", "from zhicheng.applications.models import Application\n"),
    ("plans/services.py", "from zhicheng.accounts.roles import Role\n"),
    ("plans/views.py", "from .selectors import plan_list\nfrom . import forms\n"),
    ("applications/views/pages.py", "from ..services import application_submit\n"),
    (
        "applications/rules.py",
        "# lint: allow-layer (route resolution is routing's read API)\n"
        "from zhicheng.routing.resolve import route_resolve\n",
    ),
    (
        "applications/rules.py",
        "from zhicheng.routing.resolve import route_resolve  # lint: allow-layer (read API)\n",
    ),
    # Tests and migrations may import what they need.
    ("plans/tests/test_views.py", "from zhicheng.applications.tests.conftest import world\n"),
    ("plans/migrations/0001_initial.py", "import zhicheng.applications.storage\n"),
]

BAD = [
    ("common/ratelimit.py", "from zhicheng.audit.middleware import client_ip\n", "audit"),
    ("common/services.py", "from zhicheng.audit import services\n", "audit"),
    ("web/widgets.py", "from zhicheng.orgs.models import Organization\n", "orgs"),
    ("web/menu.py", "import zhicheng.accounts.roles\n", "accounts"),
    ("tabular/selectors.py", "from zhicheng.accounts.models import User\n", "accounts"),
    (
        "plans/views.py",
        "from zhicheng.applications.views.pages import attachment_file\n",
        "applications.views",
    ),
    ("plans/selectors.py", "from zhicheng.applications.forms import X\n", "applications.forms"),
    ("orgs/services.py", "from zhicheng.portal.menu import GUIDE_FUNCTIONS\n", "portal"),
    ("common/files.py", "from zhicheng.portal import views\n", "portal"),
    # A hatch needs its reason.
    (
        "applications/rules.py",
        "from zhicheng.routing.resolve import route_resolve  # lint: allow-layer\n",
        "routing.resolve",
    ),
    # Relative imports are resolved: two dots from applications/services/ is applications.
    ("applications/services/x.py", "from ...plans.views import y\n", "plans.views"),
]


@pytest.mark.parametrize(("relpath", "source"), GOOD)
def test_good_imports_pass(relpath, source):
    assert lint.layer_problems(relpath, source) == []


@pytest.mark.parametrize(("relpath", "source", "named"), BAD)
def test_bad_imports_fail(relpath, source, named):
    problems = lint.layer_problems(relpath, source)
    assert len(problems) == 1
    assert named in problems[0]
    assert problems[0].startswith(f"zhicheng/{relpath}:")


def test_the_docstring_examples_are_the_rule():
    """The Good/Bad blocks of ``layer_problems``' docstring say what the rule does."""
    doc = lint.layer_problems.__doc__
    good, bad = doc.split("Good::")[1].split("Bad::")
    for block, expect_problems in ((good, False), (bad, True)):
        examples = block.strip().split("# zhicheng/")[1:]
        assert examples
        for example in examples:
            header, _, body = example.partition("\n")
            relpath = header.split()[0]
            source = textwrap.dedent(body).strip() + "\n"
            assert bool(lint.layer_problems(relpath, source)) is expect_problems, example


def test_the_tree_keeps_the_layers():
    root = lint.ROOT
    problems = []
    for path in root.rglob("*.py"):
        problems += lint.layer_problems(
            path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
        )
    assert problems == []
