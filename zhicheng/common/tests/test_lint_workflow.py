"""The lint rule that keeps status writes inside the workflow kernel (``tools/lint.py``)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _lint():
    spec = importlib.util.spec_from_file_location("zhicheng_tools_lint", ROOT / "tools" / "lint.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lint = _lint()
SERVICE = Path("zhicheng/plans/services.py")

BAD = [
    "    locked.status = PlanStatus.SUBMITTED",
    "    obj.status=Status.DONE",
    "Plan.objects.filter(pk=1).update(status='approved')",
    "qs.update(rows=[], status=ImportStatus.EXPIRED)",
    'qs.update(**{"status": "x"})',
]
GOOD = [
    "    if locked.status == PlanStatus.SUBMITTED:",
    "    transition(locked, 'submit', actor=actor)",
    "qs.filter(status=ImportStatus.COMMITTED).update(rows=[])",
    "Response(data, status=201)",
    "job.status != ExportStatus.RUNNING",
    "    locked.status = X  # lint: allow",
]


@pytest.mark.parametrize("line", BAD)
def test_a_status_write_outside_the_kernel_is_refused(line):
    problems = lint.status_problems(SERVICE, line + "\n")
    assert len(problems) == 1
    assert "workflow kernel" in problems[0] and problems[0].startswith(f"{SERVICE}:1:")


@pytest.mark.parametrize("line", GOOD)
def test_reads_and_other_writes_pass(line):
    assert lint.status_problems(SERVICE, line + "\n") == []


@pytest.mark.parametrize(
    "path",
    [
        "zhicheng/common/workflow.py",
        "zhicheng/plans/tests/test_services.py",
        "zhicheng/plans/migrations/0002_x.py",
    ],
)
def test_the_kernel_tests_and_migrations_are_exempt(path):
    assert lint.status_problems(Path(path), BAD[0] + "\n" + BAD[2] + "\n") == []


def test_the_code_base_passes_the_rule():
    problems = []
    for path in (ROOT / "zhicheng").rglob("*.py"):
        relative = path.relative_to(ROOT)
        problems += lint.status_problems(relative, path.read_text(encoding="utf-8"))
    assert problems == []
