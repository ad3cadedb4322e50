"""schemathesis's command line, with one interpreter bug kept out of `make api-check`.

CPython 3.11 before 3.11.8 can raise ``SystemError: AST constructor recursion depth mismatch``
from ``ast.parse`` when it is called deep in a stack (gh-106905). Hypothesis calls it only to
*describe* a filter lambda for a strategy's repr; schemathesis reports the crash as a runtime
error of the operation being tested, which fails the check though the API is fine. Here the
description falls back to Hypothesis's own "unknown" form instead; nothing else changes.
"""

import sys

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs) -> str:
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch above)

if __name__ == "__main__":
    sys.exit(schemathesis())
