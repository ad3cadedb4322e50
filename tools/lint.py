"""Project rules that ruff cannot express. Run by `make lint` (and so by .ci/run).

- no ORM writes in views, api or forms (writes belong in services.py);
- no status written outside the workflow kernel (`zhicheng/common/workflow.py`): no `.status =`
  assignment and no `update(status=…)` / `.update(…status…)` anywhere else (tests and
  migrations excepted) — every move goes through `common.workflow.transition`;
- no assets loaded from the internet in templates.
"""

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
