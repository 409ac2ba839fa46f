"""One entry point for every export, used by the app (with its progress bar) and the CLI.

    run_export(store, kind="geojson", disaster_ids=[did], out="x.geojson", progress=cb)

Kinds and formats: fdma (csv, xlsx, pdf; several disasters → one row per municipality),
geojson, kml, csv (the building list; csv or xlsx), ledger (被災者台帳; csv or xlsx),
dashboard (html). The format defaults to the output file's extension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from survey_app.exports import csv_export, fdma, fdma_pdf, geojson, kml, ledger, xlsx
from survey_app.exports.output import Progress
from survey_app.exports.source import disaster
from survey_app.i18n import tr
from survey_app.store.db import Store

FORMATS: dict[str, tuple[str, ...]] = {
    "fdma": ("csv", "xlsx", "pdf"), "geojson": ("geojson",), "kml": ("kml",),
    "csv": ("csv", "xlsx"), "ledger": ("csv", "xlsx"), "dashboard": ("html",),
}
_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".pdf": "pdf", ".geojson": "geojson",
             ".json": "geojson", ".kml": "kml", ".html": "html", ".htm": "html"}


class ExportError(Exception):
    """A problem the user can fix (unknown disaster, format, missing font); str() says which."""


@dataclass(frozen=True)
class ExportResult:
    kind: str
    fmt: str
    path: Path
    count: int          # rows, features or persons written (municipalities for fdma)


def resolve_format(kind: str, out: Path, fmt: str | None) -> str:
    if kind not in FORMATS:
        raise ExportError(tr("exports.unknown_kind", kind=kind, kinds=", ".join(FORMATS)))
    chosen = fmt or _SUFFIXES.get(out.suffix.lower()) or FORMATS[kind][0]
    if chosen not in FORMATS[kind]:
        raise ExportError(tr("exports.bad_format", kind=kind, fmt=chosen,
                             formats=", ".join(FORMATS[kind])))
    return chosen


def _check_disasters(store: Store, kind: str, disaster_ids: Sequence[str]) -> None:
    if not disaster_ids:
        raise ExportError(tr("exports.disaster_missing"))
    if kind != "fdma" and len(disaster_ids) > 1:
        raise ExportError(tr("exports.one_disaster_only", kind=kind))
    for did in disaster_ids:
        if disaster(store.db, did) is None:
            raise ExportError(tr("exports.disaster_unknown", disaster=did))


def _font() -> str:
    # The certificates feature owns the font search (OS fonts, bundled, user's choice).
    from survey_app.certificates import fonts

    try:
        return fonts.register("gothic")
    except fonts.FontNotFoundError as err:
        raise ExportError(str(err)) from err


def _fdma(store: Store, ids: Sequence[str], out: Path, fmt: str, progress: Progress | None,
          as_of: str | None) -> int:
    report = fdma.build_report(store.db, ids, as_of=as_of, progress=progress)
    if fmt == "pdf":
        fdma_pdf.write_pdf(report, out, font=_font())
    elif fmt == "xlsx":
        fdma.write_xlsx(report, out)
    else:
        fdma.write_csv(report, out)
    return len(report.rows)


def _dashboard(store: Store, did: str, out: Path, as_of: str | None) -> int:
    from survey_app.services import dashboard, dashboard_html

    day = dt.date.fromisoformat(as_of[:10]) if as_of else None
    figures = dashboard.build(store, did, as_of=day)
    dashboard_html.write_html(figures, out)
    return figures.backlog["buildings"]


def run_export(store: Store, *, kind: str, disaster_ids: Sequence[str], out: Path | str,
               fmt: str | None = None, progress: Progress | None = None,
               as_of: str | None = None) -> ExportResult:
    """Write one export; `as_of` (ISO date or datetime) fixes the report's date for tests."""
    out = Path(out)
    fmt = resolve_format(kind, out, fmt)
    _check_disasters(store, kind, disaster_ids)
    did = disaster_ids[0]
    try:
        if kind == "fdma":
            count = _fdma(store, disaster_ids, out, fmt, progress, as_of)
        elif kind == "geojson":
            count = geojson.export_geojson(store.db, did, out, progress=progress)
        elif kind == "kml":
            count = kml.export_kml(store.db, did, out, progress=progress)
        elif kind == "csv" and fmt == "xlsx":
            count = xlsx.export_buildings_xlsx(store.db, did, out, progress=progress)
        elif kind == "csv":
            count = csv_export.export_buildings(store.db, did, out, progress=progress)
        elif kind == "ledger":
            count = ledger.export_ledger(store.db, did, out, fmt=fmt, progress=progress)
        else:
            count = _dashboard(store, did, out, as_of)
    except OSError as err:
        raise ExportError(tr("exports.write_failed", path=out, reason=err.strerror or err)) \
            from err
    return ExportResult(kind, fmt, out, count)
