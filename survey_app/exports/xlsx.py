"""XLSX through openpyxl's write-only mode: rows stream to the file, so memory stays flat.

Text that starts with "=" is stored as text, never as a formula (openpyxl would otherwise turn a
remark typed as "=..." into a live formula), and characters XML cannot hold are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlite_utils import Database

from survey_app.exports.columns import BUILDING_COLUMNS
from survey_app.exports.output import Progress, Ticker, atomic_path
from survey_app.exports.source import count_buildings, select_sql, stream

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {"text": 28, "label": 14, "number": 10, "datetime": 17}


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    total: int = 0                      # for the progress bar; 0 when unknown
    widths: Sequence[int] = ()          # column widths in characters
    notes: Sequence[str] = field(default_factory=tuple)   # lines written under the table


def _cell(ws, value: object) -> object:
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text.startswith("=") and "\n" not in text:
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if "\n" in text:
        cell.alignment = _WRAP
    return cell


def _header(ws, header: Sequence[str]) -> list:
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = _BOLD
        cells.append(cell)
    return cells


def write_xlsx(out: Path | str, sheets: Sequence[Sheet], *,
               progress: Progress | None = None) -> int:
    """Write `sheets` into one workbook; returns the number of data rows written."""
    ticker = Ticker(sum(s.total for s in sheets), progress)
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.title[:31])
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.append(_header(ws, sheet.header))
        for row in sheet.rows:
            ws.append([_cell(ws, v) for v in row])
            ticker.tick()
        if sheet.notes:
            ws.append([])
            for line in sheet.notes:
                ws.append([_cell(ws, line)])
    with atomic_path(out) as tmp:
        wb.save(tmp)
    ticker.finish()
    return ticker.done


def export_buildings_xlsx(db: Database, disaster_id: str, out: Path | str, *,
                          progress: Progress | None = None) -> int:
    """The building list of exports.columns as one sheet (same columns as the CSV)."""
    columns = BUILDING_COLUMNS
    sheet = Sheet(title="建物一覧", header=[c.ja for c in columns],
                  rows=stream(db, select_sql([c.sql() for c in columns]), disaster_id),
                  total=count_buildings(db, disaster_id),
                  widths=[_WIDTHS.get(c.kind, 14) for c in columns])
    return write_xlsx(out, [sheet], progress=progress)
