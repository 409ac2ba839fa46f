"""The FDMA housing report as a printable A4 PDF, laid out like the form's housing block:
rows 全壊 … 非住家, columns 棟 / 世帯 / 人; the total first, then one block per municipality.

The caller registers a Japanese TrueType font with reportlab and passes its name (the
certificates feature finds one): the font is embedded, so the PDF prints the same anywhere.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from survey_app.exports.fdma import LINES, NOTES, SUB_ROWS, FdmaReport, FdmaRow
from survey_app.exports.output import atomic_path

TITLE = "第4号様式（その2）被害状況即報 ― 住家被害等"


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("t", fontName=font, fontSize=14, leading=20, spaceAfter=4),
        "head": ParagraphStyle("h", fontName=font, fontSize=11, leading=15, spaceBefore=6),
        "body": ParagraphStyle("b", fontName=font, fontSize=8.5, leading=12),
    }


def _block(row: FdmaRow, font: str) -> Table:
    data: list[list[object]] = [["区分", "棟", "世帯", "人"]]
    for code, label, people in LINES:
        tally = row.lines[code]
        indent = "　" if code in SUB_ROWS else ""
        data.append([indent + label, tally.buildings,
                     tally.households if people else "", tally.persons if people else ""])
    risai = row.risai()
    data.append(["り災世帯数・り災者数", "", risai.households, risai.persons])
    data.append(["人数不明の世帯", "", row.unknown_households(), ""])
    data.append(["未判定（集計外）", row.unjudged, "", ""])
    table = Table(data, colWidths=[62 * mm, 28 * mm, 28 * mm, 28 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ]))
    return table


def write_pdf(report: FdmaReport, out: Path | str, *, font: str) -> Path:
    """Render `report` with the registered TrueType font `font`; returns the path written."""
    style = _styles(font)
    story: list[object] = [
        Paragraph(TITLE, style["title"]),
        Paragraph(f"災害名: {report.title}　　{report.as_of} 現在", style["body"]),
        Spacer(1, 4 * mm),
    ]
    # One municipality: its block is the total; several: the total first, then each one.
    blocks = report.rows if len(report.rows) == 1 else [report.total, *report.rows]
    for row in blocks:
        name = row.municipality_name or row.municipality_code or "―"
        code = f"（{row.municipality_code}）" if row.municipality_code else ""
        story.append(KeepTogether([Paragraph(f"{name}{code}", style["head"]),
                                   _block(row, font), Spacer(1, 3 * mm)]))
    story += [Paragraph(line, style["body"]) for line in NOTES]
    out = Path(out)
    with atomic_path(out) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                topMargin=16 * mm, bottomMargin=16 * mm, title=TITLE,
                                author=report.title, initialFontName=font)
        doc.build(story)
    return out
