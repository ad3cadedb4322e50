"""Project rules that ruff cannot express. Run by `make lint` (and so by .ci/run).

- no ORM writes in views, api or forms (writes belong in services.py);
- no status written outside the workflow kernel (`zhicheng/common/workflow.py`): no `.status =`
  assignment and no `update(status=…)` / `.update(…status…)` anywhere else (tests and
  migrations excepted) — every move goes through `common.workflow.transition`;
- no assets loaded from the internet in templates;
- the layers (``layer_problems``): common ← web, tabular ← domain apps ← portal.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "zhicheng"

ORM_WRITE = re.compile(
    r"\.(objects\.(create|bulk_create|update_or_create|get_or_create)|save|delete|bulk_update)\("
)
STATUS_ASSIGN = re.compile(r"\.status\s*=[^=]")
# ``.update(status=…)``, ``.update(**{"status": …})``, ``.update(rows=[], status=…)``.
STATUS_UPDATE = re.compile(r"""\.update\([^)]*\bstatus\b""")
WORKFLOW_KERNEL = Path("zhicheng/common/workflow.py")
CDN = re.compile(r"""(src|href)=["']https?://(?!127\.0\.0\.1|localhost)""")

THIN_MODULES = ("views.py", "api.py", "forms.py")
THIN_PACKAGES = ("views", "api", "forms")


def is_thin(path: Path) -> bool:
    """views/api/forms modules, also when split into packages (``views/lists.py``)."""
    return path.name in THIN_MODULES or any(part in THIN_PACKAGES for part in path.parts[:-1])


# --- layering -------------------------------------------------------------------------------

# Below every domain app: they import no domain app (nor the portal).
FOUNDATION = frozenset({"common", "web", "tabular"})
# The composition root: imports every app, imported by none (only the root urls.py).
PORTAL = "portal"
# What one domain app may import from another: its public face. Views, forms, api, tabular …
# of another app are its own business.
PUBLIC_MODULES = frozenset({"services", "selectors", "models", "roles", "widgets", "demo"})
ALLOW_LAYER = re.compile(r"#\s*lint:\s*allow-layer\s*\(\s*\S[^)]*\)")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.Module):
    """Import nodes that run: those under ``if TYPE_CHECKING:`` are annotations only."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _targets(node: ast.Import | ast.ImportFrom, package: list[str]) -> list[list[str]]:
    """Absolute module paths (split on dots) an import names, one per imported name."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".") for alias in node.names]
    base = package[: len(package) - node.level + 1] if node.level else []
    module = base + (node.module.split(".") if node.module else [])
    return [module + [alias.name] for alias in node.names]


def layer_problems(relpath: str, text: str) -> list[str]:
    """Imports in ``relpath`` (a path under ``zhicheng/``, e.g. ``web/forms.py``) that cross the
    layers: common ← web, tabular ← domain apps ← portal.

    - ``common``, ``web`` and ``tabular`` import no domain app and not the portal;
    - a domain app imports another domain app only through its public modules
      (``PUBLIC_MODULES``: services, selectors, models, roles, widgets, demo), and never the
      portal;
    - the portal (menu, home, demo loader, URL and API wiring) may import anything.

    Imports under ``if TYPE_CHECKING:`` do not count (annotations create no import at run
    time), nor do tests, migrations and the project files (settings, the root urls). An import
    that must cross anyway says why, on its line or the line above:
    ``# lint: allow-layer (reason)``.

    Good::

        # zhicheng/common/oplog.py
        from auditlog.models import LogEntry            # a library, below every app
        # zhicheng/web/widgets.py
        if TYPE_CHECKING:
            from zhicheng.accounts.models import User   # annotation only
        # zhicheng/certificates/forms.py
        from zhicheng.orgs.widgets import OrganizationTypeaheadField
        from zhicheng.applications import selectors as application_selectors
        # zhicheng/portal/dashboard.py
        from zhicheng.plans import selectors as plan_selectors
        # zhicheng/applications/rules.py
        # lint: allow-layer (route resolution is routing's read API, a selector in all but name)
        from zhicheng.routing.resolve import route_resolve

    Bad::

        # zhicheng/common/ratelimit.py — common above an app
        from zhicheng.audit.middleware import client_ip
        # zhicheng/web/widgets.py — the UI kit knows a domain model
        from zhicheng.orgs.models import Organization
        # zhicheng/plans/views.py — another app's views are not its public face
        from zhicheng.applications.views.pages import attachment_file
        # zhicheng/orgs/services.py — nothing imports the composition root
        from zhicheng.portal.menu import GUIDE_FUNCTIONS
    """
    parts = relpath.replace("\\", "/").split("/")
    if len(parts) < 2 or "tests" in parts or "migrations" in parts:
        return []
    layer = parts[0]
    package = ["zhicheng", *parts[:-1]]  # what a relative import starts from
    lines = text.splitlines()
    problems = []
    for node in _runtime_imports(ast.parse(text)):
        span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
        if node.lineno > 1 and lines[node.lineno - 2].strip().startswith("#"):
            span.append(lines[node.lineno - 2])  # the hatch may stand on the line above
        if any(ALLOW_LAYER.search(line) for line in span):
            continue
        for target in _targets(node, package):
            if len(target) < 2 or target[0] != "zhicheng":
                continue
            app = target[1]
            module = target[2] if len(target) > 2 else ""
            if app == layer or not (ROOT / app / "apps.py").exists():
                continue
            shown = ".".join(target)
            where = f"zhicheng/{relpath}:{node.lineno}"
            if layer == PORTAL:
                continue
            if app == PORTAL:
                problems.append(f"{where}: imports the portal ({shown}); nothing may")
            elif app in FOUNDATION:
                continue
            elif layer in FOUNDATION:
                problems.append(f"{where}: {layer} imports the domain app {app} ({shown})")
            elif module not in PUBLIC_MODULES:
                problems.append(
                    f"{where}: imports {shown}; another app only through its "
                    + "/".join(sorted(PUBLIC_MODULES))
                )
    return problems


def status_problems(relative: Path, text: str) -> list[str]:
    """Status writes outside the workflow kernel in one file (``relative`` to the repository
    root): ``.status =`` and ``update(…status…)``. Tests and migrations are exempt."""
    if relative == WORKFLOW_KERNEL or {"migrations", "tests"} & set(relative.parts):
        return []
    problems = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if "# lint: allow" in line:
            continue
        if STATUS_ASSIGN.search(line) or STATUS_UPDATE.search(line):
            problems.append(
                f"{relative}:{lineno}: status written outside the workflow kernel; "
                "use zhicheng.common.workflow.transition"
            )
    return problems


def main() -> int:
    problems: list[str] = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        problems += layer_problems(path.relative_to(ROOT).as_posix(), text)
        problems += status_problems(path.relative_to(ROOT.parent), text)
        for lineno, line in enumerate(text.splitlines(), 1):
            where = f"{path.relative_to(ROOT.parent)}:{lineno}"
            if is_thin(path) and ORM_WRITE.search(line) and "# lint: allow" not in line:
                problems.append(f"{where}: ORM write in a thin module; move it to services.py")
    for path in ROOT.rglob("*.html"):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CDN.search(line):
                problems.append(
                    f"{path.relative_to(ROOT.parent)}:{lineno}: asset from the internet"
                )
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
