"""CSV as Excel opens it: UTF-8 with a BOM (without it Excel reads Japanese as Shift_JIS and
shows mojibake), CRLF line ends, and quoted cells so commas, quotes and line breaks in remarks
survive. The column dictionary is exports.columns.BUILDING_COLUMNS (docs/exports.md).

Cells that start like a spreadsheet formula (=, +, -, @, tab, CR) get a leading apostrophe, so a
name or remark typed as "=HYPERLINK(...)" is shown as text and never run (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlite_utils import Database

from survey_app.exports.columns import BUILDING_COLUMNS, Column
from survey_app.exports.output import Progress, Ticker, atomic_path
from survey_app.exports.source import count_buildings, select_sql, stream

ENCODING = "utf-8-sig"
_RISKY = ("=", "+", "-", "@", "\t", "\r")
# Columns whose codes come from the app's own schema enums (never free text).
CODED = ("structure", "use_class", "location_source", "status", "stage", "hazard", "flood",
         "fdma")


def guard(value: object) -> object:
    """A text value that Excel would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_RISKY) and not value.startswith(("- ", "-　")):
        return "'" + value
    return value


# unicode(v) is the first character's code point: = + @ tab CR, or "-" not opening a list item.
_GUARD = ("CASE WHEN unicode({v}) IN (61, 43, 64, 9, 13) OR (unicode({v}) = 45"
          " AND substr({v}, 2, 1) NOT IN (' ', '　')) THEN '''' || {v} ELSE {v} END")


def _cell(column: Column) -> tuple[str, str]:
    """(printf conversion, SQL argument) of one cell."""
    expr = column.sql()
    if column.kind in ("number", "datetime") or (column.labels and column.key in CODED):
        # %s writes NULL as an empty cell; numbers, dates and the app's own coded values
        # (mapped to fixed labels) never hold a comma, quote or line break.
        return "%s", expr
    value = f"coalesce({expr}, '')"
    if column.kind == "text":
        value = _GUARD.format(v=value)      # only free input can hold a formula
    # %w doubles the quotes inside; other text is always quoted (RFC 4180 allows it).
    return '"%w"', value


def line_sql(columns: Sequence[Column]) -> str:
    """One SQL expression giving a whole CSV line, CRLF included, per building.

    printf builds the line in one go; a chain of `||` would copy the growing line per cell."""
    cells = [_cell(c) for c in columns]
    template = ",".join(conv for conv, _ in cells)
    return f"printf('{template}' || char(13, 10), {', '.join(arg for _, arg in cells)})"


def export_buildings(db: Database, disaster_id: str, out: Path | str, *,
                     progress: Progress | None = None,
                     columns: Sequence[Column] = BUILDING_COLUMNS) -> int:
    """Write the disaster's building list; returns the number of rows written."""
    ticker = Ticker(count_buildings(db, disaster_id), progress)
    sql = select_sql([line_sql(columns)])
    with atomic_path(out) as tmp, tmp.open("w", encoding=ENCODING, newline="") as fh:
        csv.writer(fh).writerow([c.ja for c in columns])
        for (line,) in stream(db, sql, disaster_id):
            fh.write(line)
            ticker.tick()
    ticker.finish()
    return ticker.done


def write_rows(out: Path | str, header: Sequence[str], rows: Iterable[Sequence[object]], *,
               total: int = 0, progress: Progress | None = None) -> int:
    """Write rows made in Python (the FDMA table, the ledger) with the same conventions."""
    ticker = Ticker(total, progress)
    with atomic_path(out) as tmp, tmp.open("w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else guard(v) for v in row])
            ticker.tick()
    ticker.finish()
    return ticker.done
