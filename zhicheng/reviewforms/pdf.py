"""The 评审表 as a PDF: reportlab platypus on A4 portrait, the CJK TrueType font embedded and
subset (the same font file as the certificates, ``ZHICHENG_CERTIFICATE_FONT``; reportlab's
built-in CID fonts are never embedded, so a reader without them would show boxes)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "ReviewFormCJK"
EMPTY = "无"


@dataclass(frozen=True)
class ReviewFormSheet:
    """What the 评审表 says, already formatted; every value non-empty (``无`` where empty)."""

    heading: str
    fields: list[tuple[str, str]]
    experiences: list[tuple[str, str, str, str]] = field(default_factory=list)
    # The opinion boxes the signatories fill by hand: (who, what they sign with).
    opinions: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


@lru_cache(maxsize=1)
def _font(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "cell": base,
        "label": ParagraphStyle("label", parent=base, alignment=1),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, alignment=1),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    escaped = (text or EMPTY).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), style)


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
)


def render(sheet: ReviewFormSheet) -> bytes:
    """The 评审表: the particulars in a four-column grid (label, value, label, value), the work
    history, then one box per signatory (本人, 用人单位, 主管部门, the reviewing body) with the
    line they sign and seal on."""
    font = _font(settings.ZHICHENG_CERTIFICATE_FONT)
    styles = _styles(font)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=sheet.heading,
        author="职称申报评审管理系统",
    )
    width = doc.width
    story: list = [_p(sheet.heading, styles["title"]), Spacer(1, 6 * mm)]

    rows = []
    pairs = list(sheet.fields)
    for i in range(0, len(pairs), 2):
        chunk = pairs[i : i + 2] + ([("", "")] if len(pairs[i : i + 2]) == 1 else [])
        row = []
        for label, value in chunk:
            row += [_p(label, styles["label"]), _p(value, styles["cell"])] if label else ["", ""]
        rows.append(row)
    label_w, value_w = width * 0.16, width * 0.34
    story.append(Table(rows, colWidths=[label_w, value_w, label_w, value_w], style=GRID))
    story.append(Spacer(1, 4 * mm))

    history = [
        [_p(h, styles["label"]) for h in ("起止时间", "工作单位", "岗位/职务", "从事专业技术工作")]
    ]
    for row in sheet.experiences or [(EMPTY, EMPTY, EMPTY, EMPTY)]:
        history.append([_p(value, styles["cell"]) for value in row])
    story.append(_p("工作经历", styles["label"]))
    story.append(
        Table(
            history,
            colWidths=[width * 0.22, width * 0.3, width * 0.18, width * 0.3],
            style=GRID,
            repeatRows=1,
        )
    )
    story.append(Spacer(1, 4 * mm))

    boxes = []
    for who, sign in sheet.opinions:
        boxes.append(
            [
                _p(who, styles["label"]),
                Table(
                    [[""], [_p(f"{sign}：　　　　　　　　　　年　　月　　日", styles["cell"])]],
                    colWidths=[width * 0.78],
                    rowHeights=[16 * mm, None],
                ),
            ]
        )
    story.append(Table(boxes, colWidths=[width * 0.2, width * 0.8], style=GRID))
    if sheet.footer:
        story += [Spacer(1, 3 * mm), _p(sheet.footer, styles["small"])]
    doc.build(story)
    return buffer.getvalue()
