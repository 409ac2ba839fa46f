"""The A4 page of one certificate, drawn on a reportlab canvas.

Top to bottom: number and issue date (top right), title, the table of the unified format
(世帯主住所, 世帯主氏名, 罹災原因, 被災住家の所在地, 住家の被害の程度, 追加記載事項①②③), the
statement, the issuer with the seal box, the QR code and the footer note. Rows keep their usual
heights; a long text first shrinks within its row, then takes spare height from the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from survey_app.certificates.dates import print_date
from survey_app.certificates.fonts import FontPair
from survey_app.certificates.model import (
    EXTRA_HINTS,
    EXTRA_MARKS,
    GRADE_LABELS,
    HISAI_DEFAULT_DAMAGE,
    HISAI_NOTICE,
    STATEMENTS,
    CertificateDoc,
)
from survey_app.certificates.settings import CertificateSettings
from survey_app.certificates.textfit import Fitted, fit_or_grow

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 20 * mm, PAGE_W - 20 * mm
LABEL_W, MARK_W = 40 * mm, 8 * mm
TABLE_TOP, TABLE_BOTTOM = 250 * mm, 100 * mm
PAD = 2 * mm
RED = (0.75, 0.05, 0.05)


@dataclass(frozen=True)
class Row:
    label: str
    text: str
    height: float
    kind: str = "text"  # text | grades | extra
    mark: str = ""
    max_size: float = 12.0


@dataclass(frozen=True)
class Placed:
    row: Row
    top: float
    height: float
    fitted: Fitted | None


def rows_for(doc: CertificateDoc) -> list[Row]:
    if doc.kind == "risai":
        middle = [Row("罹災原因", doc.cause, 14 * mm),
                  Row("被災住家の所在地", doc.damaged_address, 16 * mm),
                  Row("住家の被害の程度", doc.grade_label, 26 * mm, kind="grades")]
    else:
        middle = [Row("罹災原因", doc.cause, 14 * mm),
                  Row("被災場所の所在地", doc.damaged_address, 16 * mm),
                  Row("被害の状況", doc.reported_damage or HISAI_DEFAULT_DAMAGE, 20 * mm)]
    extras = [Row(f"追加記載事項{mark}", text, 12 * mm, kind="extra", mark=mark, max_size=10.5)
              for mark, text in zip(EXTRA_MARKS, doc.extras, strict=True)]
    return [Row("世帯主住所", doc.household_address, 16 * mm),
            Row("世帯主氏名", doc.household_name, 12 * mm, max_size=15.0),
            *middle, *extras]


def _value_width(row: Row) -> float:
    return RIGHT - LEFT - LABEL_W - (MARK_W if row.kind == "extra" else 0) - 2 * PAD


def plan(rows: list[Row], fonts: FontPair) -> list[Placed]:
    """Place rows top-down; a text too long for its row borrows the page's spare height."""
    spare = (TABLE_TOP - TABLE_BOTTOM) - sum(r.height for r in rows)
    placed, top = [], TABLE_TOP
    for row in rows:
        fitted = None
        height = row.height
        if row.kind != "grades":
            fitted = fit_or_grow(row.text, fonts.mincho, _value_width(row),
                                 row.height - 2 * PAD, spare, field=row.label,
                                 max_size=row.max_size, readable=8.0, min_size=5.0)
            height = max(row.height, fitted.height + 2 * PAD)
            spare -= height - row.height
        placed.append(Placed(row, top, height, fitted))
        top -= height
    return placed


def draw_certificate(c: Canvas, doc: CertificateDoc, fonts: FontPair,
                     settings: CertificateSettings, qr=None, seal=None) -> None:
    """Draw one page (the caller ends it). `qr` and `seal` are reportlab ImageReaders."""
    placed = plan(rows_for(doc), fonts)
    _header(c, doc, fonts, settings)
    _table(c, placed, fonts, doc)
    _issuer(c, doc, fonts, settings, seal)
    _notes(c, doc, fonts, settings)
    if qr is not None:
        _qr(c, doc, fonts, qr)
    if doc.voided:
        _void_stamp(c, fonts, beside_reissue=bool(doc.reissue_of))


def _header(c: Canvas, doc: CertificateDoc, fonts: FontPair,
            settings: CertificateSettings) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.setFont(fonts.gothic, 11)
    c.drawRightString(RIGHT, 280 * mm, doc.number_text)
    c.drawRightString(RIGHT, 273 * mm, print_date(doc.issued_on, era=settings.era_dates))
    title = doc.title
    size, space = 24.0, 9.0
    width = c.stringWidth(title, fonts.mincho, size) + space * (len(title) - 1)
    text = c.beginText((PAGE_W - width) / 2, 258 * mm)
    text.setFont(fonts.mincho, size)
    text.setCharSpace(space)
    text.textOut(title)
    text.setCharSpace(0)  # Tc persists past the text object; reset it for later strings
    c.drawText(text)
    if doc.reissue_of:
        _stamp_box(c, fonts, "再交付", LEFT, 272 * mm)


def _stamp_box(c: Canvas, fonts: FontPair, label: str, x: float, y: float) -> None:
    c.saveState()
    c.setStrokeColorRGB(*RED)
    c.setFillColorRGB(*RED)
    c.setLineWidth(1.2)
    width = c.stringWidth(label, fonts.gothic, 13) + 6 * mm
    c.roundRect(x, y - 2.5 * mm, width, 10 * mm, 1.5 * mm)
    c.setFont(fonts.gothic, 13)
    c.drawString(x + 3 * mm, y + 0.5 * mm, label)
    c.restoreState()


def _table(c: Canvas, placed: list[Placed], fonts: FontPair, doc: CertificateDoc) -> None:
    bottom = placed[-1].top - placed[-1].height
    c.setFillGray(0.93)
    c.rect(LEFT, bottom, LABEL_W, TABLE_TOP - bottom, stroke=0, fill=1)
    c.setFillGray(0)
    c.setLineWidth(0.5)
    first_extra = next(p for p in placed if p.row.kind == "extra")
    for p in placed:
        row = p.row
        x0 = LEFT + LABEL_W + (MARK_W if row.kind == "extra" else 0)
        line_from = LEFT + LABEL_W if row.kind == "extra" and p is not first_extra else LEFT
        c.line(line_from, p.top, RIGHT, p.top)
        if row.kind == "extra":
            c.line(LEFT + LABEL_W + MARK_W, p.top, LEFT + LABEL_W + MARK_W, p.top - p.height)
            _centered(c, fonts.gothic, 10.5, row.mark, LEFT + LABEL_W, MARK_W, p)
        else:
            _label(c, fonts.gothic, row.label, p)
        if row.kind == "grades":
            _grades(c, fonts, doc.grade_code, x0, p)
        else:
            _value(c, fonts.mincho, p, x0)
    _extras_label(c, fonts, first_extra, bottom)
    c.line(LEFT + LABEL_W, TABLE_TOP, LEFT + LABEL_W, bottom)
    c.setLineWidth(1.2)
    c.rect(LEFT, bottom, RIGHT - LEFT, TABLE_TOP - bottom)


def _label(c: Canvas, font: str, label: str, p: Placed) -> None:
    c.setFont(font, 10.5)
    c.drawString(LEFT + 3 * mm, p.top - p.height / 2 - 3.6, label)


def _centered(c: Canvas, font: str, size: float, text: str, x: float, w: float,
              p: Placed) -> None:
    c.setFont(font, size)
    c.drawCentredString(x + w / 2, p.top - p.height / 2 - size * 0.35, text)


def _extras_label(c: Canvas, fonts: FontPair, first: Placed, bottom: float) -> None:
    mid = (first.top + bottom) / 2
    c.setFont(fonts.gothic, 10.5)
    c.drawString(LEFT + 3 * mm, mid + 2 * mm, "追加記載事項")
    c.setFont(fonts.gothic, 7)
    for i, (mark, hint) in enumerate(zip(EXTRA_MARKS, EXTRA_HINTS, strict=True)):
        c.drawString(LEFT + 3 * mm, mid - 3 * mm - i * 3.2 * mm, f"{mark}{hint}")


def _value(c: Canvas, font: str, p: Placed, x0: float) -> None:
    fitted = p.fitted
    if fitted is None or not any(fitted.lines):
        return
    size = fitted.size
    c.setFont(font, size)
    y = p.top - (p.height - fitted.height) / 2 - size * 0.95
    for line in fitted.lines:
        c.drawString(x0 + PAD, y, line)
        y -= size * 1.25


def _grades(c: Canvas, fonts: FontPair, chosen: str | None, x0: float, p: Placed) -> None:
    # The right column holds the long 「準半壊に至らない（一部損壊）」, so it gets more room.
    left_w = (RIGHT - x0) * 0.4
    line_h = p.height / 3
    for i, (code, label) in enumerate(GRADE_LABELS.items()):
        x = x0 + PAD + (i % 2) * left_w
        y = p.top - line_h * (i // 2) - line_h / 2 - 3.5
        selected = code == chosen
        c.setFont(fonts.mincho, 11)
        text = ("■ " if selected else "□ ") + label
        c.drawString(x, y, text)
        if selected:
            width = c.stringWidth(text, fonts.mincho, 11)
            c.setLineWidth(1.0)
            c.ellipse(x - 1.5 * mm, y - 2 * mm, x + width + 1.5 * mm, y + 5.5 * mm)
            c.setLineWidth(0.5)


def _issuer(c: Canvas, doc: CertificateDoc, fonts: FontPair, settings: CertificateSettings,
            seal) -> None:
    c.setFont(fonts.mincho, 12)
    c.drawString(LEFT + 6 * mm, 90 * mm, STATEMENTS[doc.kind])
    if doc.kind == "hisai":
        c.setFont(fonts.gothic, 9)
        c.drawString(LEFT + 6 * mm, 84 * mm, HISAI_NOTICE)
    size = settings.seal_size_mm * mm
    seal_x = RIGHT - size + settings.seal_offset_mm[0] * mm
    seal_y = 70 * mm - size / 2 + settings.seal_offset_mm[1] * mm
    issuer_size = 15.0
    while c.stringWidth(doc.issuer, fonts.mincho, issuer_size) > 110 * mm and issuer_size > 8:
        issuer_size -= 0.5
    c.setFont(fonts.mincho, issuer_size)
    c.drawRightString(RIGHT - size - 4 * mm, 68 * mm, doc.issuer)
    if seal is not None:
        c.drawImage(seal, seal_x, seal_y, size, size, mask="auto")
        return
    c.saveState()
    c.setStrokeGray(0.6)
    c.setDash(2, 2)
    c.rect(seal_x, seal_y, size, size)
    c.setFillGray(0.6)
    c.setFont(fonts.mincho, 11)
    c.drawCentredString(seal_x + size / 2, seal_y + size / 2 - 4, "印")
    c.restoreState()


def _notes(c: Canvas, doc: CertificateDoc, fonts: FontPair,
           settings: CertificateSettings) -> None:
    notes = []
    if doc.reissue_of:
        reason = f"（{doc.reissue_reason}）" if doc.reissue_reason else ""
        notes.append(f"本証明書は、{doc.reissue_of}の証明書に代えて再交付するものです。{reason}")
    if doc.voided:
        when = print_date(doc.voided_on, era=settings.era_dates)
        notes.append(f"この証明書は{when}に取り消されました。理由：{doc.void_reason}")
    c.saveState()
    c.setFillColorRGB(*RED)
    y = 56 * mm
    for note in notes:
        fitted = fit_or_grow(note, fonts.gothic, RIGHT - LEFT, 9 * mm, 0, field="備考",
                             max_size=9.5, readable=6.0, min_size=6.0)
        c.setFont(fonts.gothic, fitted.size)
        for line in fitted.lines:
            c.drawString(LEFT, y, line)
            y -= fitted.size * 1.25
    c.restoreState()
    if settings.note:
        c.setFont(fonts.gothic, 8)
        c.drawCentredString(PAGE_W / 2, 12 * mm, settings.note)


def _qr(c: Canvas, doc: CertificateDoc, fonts: FontPair, qr) -> None:
    size = 26 * mm
    c.drawImage(qr, LEFT - 2 * mm, 18 * mm, size, size)
    x = LEFT + size
    c.setFont(fonts.gothic, 8)
    c.drawString(x, 38 * mm, "交付台帳照合コード")
    c.setFont(fonts.gothic, 6)
    c.drawString(x, 33 * mm, doc.qr_text)
    c.drawString(x, 29 * mm, "このコードで交付台帳の記載と照合できます。")


def _void_stamp(c: Canvas, fonts: FontPair, *, beside_reissue: bool) -> None:
    _stamp_box(c, fonts, "取消", LEFT + (30 * mm if beside_reissue else 0), 272 * mm)
    c.saveState()
    c.setFillColorRGB(*RED)
    c.setFillAlpha(0.3)
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(30)
    c.setFont(fonts.gothic, 110)
    c.drawCentredString(0, -40, "取　消")
    c.restoreState()
