"""申报须知 formatting: plain text with light markup, rendered safely.

The notice is stored as text, never as HTML. Rendering escapes everything first and only then
adds the few tags the markup asks for, so no script or attribute from the text reaches a page:

- a blank line starts a new paragraph, a single newline is a line break;
- consecutive lines starting with ``- `` (or ``• ``) form a bulleted list, ``1. `` / ``1、`` a
  numbered one;
- ``**text**`` is bold.
"""

import itertools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*(?:-|•)\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.、．]\s*(.*)$")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def _line_kind(line: str) -> tuple[str, str]:
    """("ul" | "ol" | "p", the text of the line without its list marker)."""
    match = _BULLET.match(line)
    if match:
        return "ul", match.group(1)
    match = _NUMBERED.match(line)
    if match:
        return "ol", match.group(1)
    return "p", line


def notice_html(text: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    parts: list[str] = []
    for block in blocks:
        lines = [_line_kind(line) for line in block.split("\n") if line.strip()]
        # Consecutive lines of the same kind form one paragraph or one list.
        for kind, run in itertools.groupby(lines, key=lambda item: item[0]):
            texts = [_inline(text) for _kind, text in run]
            if kind == "p":
                parts.append("<p>" + "<br>".join(texts) + "</p>")
            else:
                parts.append(f"<{kind}>" + "".join(f"<li>{t}</li>" for t in texts) + f"</{kind}>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above
