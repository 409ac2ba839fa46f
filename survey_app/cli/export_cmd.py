"""Exports and register imports from the command line.

  survey-app export fdma|geojson|kml|csv|ledger|dashboard --out FILE [--disaster ID ...]
                    [--format csv|xlsx|pdf|...] [--as-of 2024-01-10]
  survey-app import buildings|residents FILE [--disaster ID] [--mapping JSON|FILE]
                    [--encoding auto|utf-8|cp932]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from survey_app.cli import CliError
from survey_app.i18n import tr
from survey_app.services.exporting import FORMATS, ExportError, run_export
from survey_app.services.register_mapping import KINDS, RegisterFileError
from survey_app.services.registers import import_register
from survey_app.services.workspace import Workspace


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help=tr("exports.cli.export_help"))
    p.add_argument("kind", choices=sorted(FORMATS), help=tr("exports.cli.kind_help"))
    p.add_argument("--out", required=True, type=Path, help=tr("exports.cli.out_help"))
    p.add_argument("--disaster", action="append", default=[], help=tr("exports.cli.disaster_help"))
    p.add_argument("--format", dest="fmt", help=tr("exports.cli.format_help"))
    p.add_argument("--as-of", help=tr("exports.cli.as_of_help"))
    p.set_defaults(func=run_export_cmd)

    p = subparsers.add_parser("import", help=tr("exports.cli.import_help"))
    p.add_argument("kind", choices=KINDS, help=tr("exports.cli.import_kind_help"))
    p.add_argument("file", type=Path, help=tr("exports.cli.file_help"))
    p.add_argument("--disaster", action="append", default=[], help=tr("exports.cli.disaster_help"))
    p.add_argument("--mapping", help=tr("exports.cli.mapping_help"))
    p.add_argument("--encoding", default="auto", help=tr("exports.cli.encoding_help"))
    p.add_argument("--actor", default=os.environ.get("SURVEY_APP_ACTOR", "cli"),
                   help=tr("exports.cli.actor_help"))
    p.set_defaults(func=run_import_cmd)


def _disasters(ws: Workspace, named: list[str]) -> list[str]:
    """The disasters named by ID or by name, or the only one in the store."""
    found = ws.store.buildings.disasters()
    if named:
        by_name = {d["name"]: d["id"] for d in found}
        return [by_name.get(n, n) for n in named]
    if len(found) == 1:
        return [found[0]["id"]]
    raise CliError(tr("exports.disaster_ambiguous", count=len(found),
                      ids=", ".join(f"{d['id']} ({d['name']})" for d in found)))


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)


def run_export_cmd(args: argparse.Namespace) -> int:
    ws = Workspace.open_default(actor="cli")
    try:
        result = run_export(ws.store, kind=args.kind, disaster_ids=_disasters(ws, args.disaster),
                            out=args.out, fmt=args.fmt, progress=_progress, as_of=args.as_of)
    except ExportError as err:
        raise CliError(str(err)) from err
    finally:
        ws.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(tr("exports.cli.done", kind=result.kind, path=result.path, count=result.count))
    return 0


def _mapping(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        source = Path(text).read_text(encoding="utf-8") if Path(text).is_file() else text
        mapping = json.loads(source)
    except (OSError, ValueError) as err:
        raise CliError(tr("exports.cli.mapping_invalid", reason=err)) from err
    if not isinstance(mapping, dict):
        raise CliError(tr("exports.cli.mapping_invalid", reason=type(mapping).__name__))
    return {str(k): str(v) for k, v in mapping.items()}


def run_import_cmd(args: argparse.Namespace) -> int:
    ws = Workspace.open_default(actor=args.actor)
    try:
        did = _disasters(ws, args.disaster)[0]
        report = import_register(ws, args.kind, args.file, disaster_id=did,
                                 mapping=_mapping(args.mapping), encoding=args.encoding,
                                 progress=_progress)
    except RegisterFileError as err:
        raise CliError(str(err)) from err
    finally:
        ws.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(tr("exports.cli.mapping_used", mapping=json.dumps(report.mapping, ensure_ascii=False)))
    print(tr("exports.cli.import_done", file=report.file, read=report.rows_read,
             added=report.added, updated=report.updated, unchanged=report.unchanged,
             bad=len(report.bad)))
    if not report.changed:
        print(tr("exports.cli.import_nothing"))
    if report.linked:
        print(tr("exports.cli.linked", count=report.linked))
    if report.unlinked:
        print(tr("exports.cli.unlinked", count=report.unlinked))
    for bad in report.bad:
        print(tr("exports.cli.bad_row", line=bad.line, reasons="; ".join(bad.reasons)))
    return 1 if report.bad else 0
