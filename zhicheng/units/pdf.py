"""The 公示表 (申报综合情况) as a PDF: an A4 landscape table in the embedded CJK font the
certificates use (``settings.ZHICHENG_CERTIFICATE_FONT``), for the unit to print and post."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "UnitSheetCJK"


@lru_cache(maxsize=1)
def _font(path: str) -> str:
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


def _cell(value) -> str:
    if value in (None, ""):
        return "无"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def render_sheet(
    *, unit_name: str, headers: Sequence[str], rows: Sequence[Sequence], period: str = ""
) -> bytes:
    """The table with a title, the unit and the period; an empty cell reads 无."""
    font = _font(settings.ZHICHENG_CERTIFICATE_FONT)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title="单位内部公示表",
    )
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    story = [
        Paragraph("职称申报单位内部公示表（申报综合情况）", title),
        Spacer(1, 4 * mm),
        Paragraph(f"公示单位：{unit_name}" + (f"　　公示期：{period}" if period else ""), body),
        Spacer(1, 3 * mm),
    ]
    data = [[Paragraph(h, cell) for h in headers]]
    data += [[Paragraph(_cell(v), cell) for v in row] for row in rows] or [
        [Paragraph("无", cell)] + [""] * (len(headers) - 1)
    ]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        Paragraph("公示期间如有异议，请以书面形式向本单位职称工作部门反映。", body),
        Spacer(1, 10 * mm),
        Paragraph("单位（盖章）：　　　　　　　　　　　　　　日期：", body),
    ]
    doc.build(story)
    return buffer.getvalue()
