"""`survey-app certificates list|show|check|verify-qr|settings`: the register at the counter.

Registered by office_cmd (one entry in COMMAND_MODULES covers both modules).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from survey_app.cli import CliError
from survey_app.i18n import tr
from survey_app.services.office import (
    OfficeError,
    entry_by_number,
    load_settings,
    register_of,
    resolve_disaster,
    save_settings,
    settings_path,
)
from survey_app.services.office_printing import verify_qr
from survey_app.services.workspace import Workspace

LIST_COLUMNS = ("number_text", "kind", "event", "grade", "issued_on", "issued_by",
                "print_status", "validity", "pdf_path")


def register(subparsers: argparse._SubParsersAction, common, out_args) -> None:
    parser = subparsers.add_parser("certificates", help=tr("office.cli.certificates_help"))
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = sub.add_parser("list", help=tr("office.cli.certificates_list"))
    common(p)
    p.add_argument("--unprinted", action="store_true", help=tr("office.cli.unprinted"))
    p.add_argument("--validity", choices=["valid", "voided", "superseded"], default=None)
    p.add_argument("--json", action="store_true", help=tr("office.cli.json"))
    p.set_defaults(func=run_list)
    p = sub.add_parser("show", help=tr("office.cli.certificates_show"))
    common(p)
    p.add_argument("number")
    p.set_defaults(func=run_show)
    p = sub.add_parser("check", help=tr("office.cli.certificates_check"))
    common(p)
    p.set_defaults(func=run_check)
    p = sub.add_parser("verify-qr", help=tr("office.cli.certificates_verify"))
    common(p)
    p.add_argument("text", help=tr("office.cli.qr_text"))
    p.set_defaults(func=run_verify)
    p = sub.add_parser("settings", help=tr("office.cli.certificates_settings"))
    common(p)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help=tr("office.cli.settings_set"))
    p.set_defaults(func=run_settings)


def _open(args: argparse.Namespace) -> tuple[Workspace, dict]:
    ws = Workspace.open_default(actor=args.actor)
    try:
        return ws, resolve_disaster(ws, args.disaster)
    except OfficeError as err:
        raise CliError(str(err)) from err


def run_list(args: argparse.Namespace) -> int:
    ws, disaster = _open(args)
    entries = register_of(ws).entries(
        disaster["id"], print_status="allocated" if args.unprinted else None,
        validity=args.validity, limit=1_000_000)
    for e in entries:
        row = {k: e[k] for k in LIST_COLUMNS}
        if args.json:
            print(json.dumps({**row, "id": e["id"]}, ensure_ascii=False))
        else:
            print("\t".join(str(v if v is not None else "-") for v in row.values()))
    return 0


def run_show(args: argparse.Namespace) -> int:
    ws, disaster = _open(args)
    try:
        entry = entry_by_number(ws, disaster, args.number)
    except OfficeError as err:
        raise CliError(str(err)) from err
    print(json.dumps(entry, ensure_ascii=False, indent=2))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Every number 1..last has its entry, and every entry still matches its hash."""
    ws, disaster = _open(args)
    register = register_of(ws)
    bad = 0
    for report in register.numbering_report(disaster["id"]):
        print(tr("office.cli.check_numbers", code=report["municipality_code"],
                 last=report["last_no"], entries=report["entries"],
                 missing=",".join(map(str, report["missing"])) or "-"))
        bad += len(report["missing"])
    for entry in register.entries(disaster["id"], limit=1_000_000):
        if not register.hash_ok(entry["id"]):
            print(tr("office.cli.check_hash_bad", number=entry["number_text"]))
            bad += 1
        elif entry["print_status"] == "allocated":
            print(tr("office.cli.check_unprinted", number=entry["number_text"]))
    return 1 if bad else 0


def run_verify(args: argparse.Namespace) -> int:
    ws = Workspace.open_default(actor=args.actor)
    check = verify_qr(ws, args.text)
    print(check.message)
    return 0 if check.ok else 1


def run_settings(args: argparse.Namespace) -> int:
    """Show the settings; `--set key=value` changes and saves them (types follow the field)."""
    ws, disaster = _open(args)
    try:
        settings = load_settings(ws, disaster)
        for item in args.set:
            key, _, value = item.partition("=")
            _assign(settings, key.strip(), value)
        if args.set:
            print(save_settings(ws, settings))
    except OfficeError as err:
        raise CliError(str(err)) from err
    print(json.dumps(asdict(settings), ensure_ascii=False, indent=2))
    print(settings_path(ws))
    return 0


def _assign(settings, key: str, value: str) -> None:
    if not hasattr(settings, key):
        raise OfficeError(tr("office.cli.settings_unknown", key=key))
    current = getattr(settings, key)
    try:
        if isinstance(current, bool):
            parsed: object = value.lower() in ("1", "true", "yes", "on")
        elif isinstance(current, float):
            parsed = float(value)
        elif isinstance(current, tuple):
            parsed = tuple(float(v) for v in value.split(","))
        else:
            parsed = value
    except ValueError as err:
        raise OfficeError(tr("office.cli.settings_bad_value", key=key, value=value)) from err
    setattr(settings, key, parsed)
