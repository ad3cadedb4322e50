"""申报须知 formatting: plain text with light markup, rendered safely.

The notice is stored as text, never as HTML. Rendering escapes everything first and only then
adds the few tags the markup asks for, so no script or attribute from the text reaches a page:

- a blank line starts a new paragraph, a single newline is a line break;
- lines starting with ``- `` (or ``• ``) form a bulleted list, ``1. `` / ``1、`` a numbered one;
- ``**text**`` is bold.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^\s*(?:-|•)\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.、．]\s*(.*)$")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def notice_html(text: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    parts: list[str] = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.match(x).group(1))}</li>" for x in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBERED.match(x).group(1))}</li>" for x in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped above
