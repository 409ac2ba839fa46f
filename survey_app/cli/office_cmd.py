"""Office commands: applications, issuing, reissuing and voiding certificates, re-surveys.

  survey-app apply --name 氏名 --household-address 住所 --damaged-address 同上 --cause 原因
  survey-app applications 検索語
  survey-app issue --application A-00001 | --survey ID | --all-judged [--out DIR|FILE.pdf]
  survey-app reissue 12 --reason 紛失 ; survey-app void 12 --reason 誤交付
  survey-app resurvey-request 12 --reason ... --assign 調査員 ; survey-app resurvey-reissue ID
  survey-app history 12 ; survey-app print-batch --pending --out DIR|FILE.pdf
  survey-app certificates list|show|check|verify-qr|settings   (office_cmd_certs.py)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from survey_app.cli import CliError
from survey_app.cli import office_cmd_certs as certs_cmd
from survey_app.i18n import tr
from survey_app.services.office import OfficeError, entry_by_number, resolve_disaster
from survey_app.services.office_applications import (
    ApplicationForm,
    register_application,
    search_applications,
)
from survey_app.services.office_issuing import (
    issue_all_judged,
    issue_certificate,
    issue_for_survey,
    reissue_certificate,
    void_certificate,
)
from survey_app.services.office_printing import print_entries, print_pending
from survey_app.services.office_resurvey import (
    history,
    reissue_after_resurvey,
    request_resurvey,
)
from survey_app.services.workspace import Workspace


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--disaster", help=tr("office.cli.disaster"))
    parser.add_argument("--actor", default=os.environ.get("SURVEY_APP_ACTOR") or _user(),
                        help=tr("office.cli.actor"))


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "office"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("apply", help=tr("office.cli.apply_help"))
    _common(p)
    p.add_argument("--name", default="", help=tr("office.cli.apply_name"))
    p.add_argument("--kana", default="", help=tr("office.cli.apply_kana"))
    p.add_argument("--household-address", default="", help=tr("office.cli.apply_household_address"))
    p.add_argument("--damaged-address", default="", help=tr("office.cli.apply_damaged_address"))
    p.add_argument("--cause", default="", help=tr("office.cli.apply_cause"))
    p.add_argument("--member", action="append", default=[], metavar="NAME,RELATION,BIRTH",
                   help=tr("office.cli.apply_member"))
    p.add_argument("--contact", default="", help=tr("office.cli.apply_contact"))
    p.add_argument("--method", default="", choices=["", "site", "self", "photo"],
                   help=tr("office.cli.apply_method"))
    p.add_argument("--received-on", default="", help=tr("office.cli.apply_received_on"))
    p.add_argument("--application-no", default="", help=tr("office.cli.apply_application_no"))
    p.add_argument("--building", default=None, help=tr("office.cli.apply_building"))
    p.set_defaults(func=run_apply)

    p = subparsers.add_parser("applications", help=tr("office.cli.applications_help"))
    _common(p)
    p.add_argument("text", help=tr("office.cli.applications_text"))
    p.set_defaults(func=run_applications)

    p = subparsers.add_parser("issue", help=tr("office.cli.issue_help"))
    _common(p)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--application", help=tr("office.cli.issue_application"))
    target.add_argument("--survey", help=tr("office.cli.issue_survey"))
    target.add_argument("--all-judged", action="store_true", help=tr("office.cli.issue_all_judged"))
    p.add_argument("--kind", default="risai", choices=["risai", "hisai"],
                   help=tr("office.cli.issue_kind"))
    _extras_args(p)
    p.add_argument("--damage", default="", help=tr("office.cli.issue_damage"))
    p.add_argument("--issued-on", default=None, help=tr("office.cli.issue_issued_on"))
    _out_args(p)
    p.set_defaults(func=run_issue)

    _register_changes(subparsers)
    certs_cmd.register(subparsers, _common, _out_args)


def _extras_args(p: argparse.ArgumentParser) -> None:
    for i in (1, 2, 3):
        p.add_argument(f"--extra{i}", default=None, help=tr(f"office.cli.extra{i}"))


def _out_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=None,
                   help=tr("office.cli.out"))
    p.add_argument("--per-household", action="store_true", help=tr("office.cli.issue_per_household"))


def _register_changes(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("reissue", help=tr("office.cli.reissue_help"))
    _common(p)
    p.add_argument("number", help=tr("office.cli.reissue_number"))
    p.add_argument("--reason", required=True, help=tr("office.cli.reissue_reason"))
    p.add_argument("--survey", default=None, help=tr("office.cli.reissue_survey"))
    _extras_args(p)
    p.add_argument("--issued-on", default=None)
    _out_args(p)
    p.set_defaults(func=run_reissue)

    p = subparsers.add_parser("void", help=tr("office.cli.void_help"))
    _common(p)
    p.add_argument("number")
    p.add_argument("--reason", required=True, help=tr("office.cli.void_reason"))
    p.add_argument("--print", action="store_true", help=tr("office.cli.void_print"))
    _out_args(p)
    p.set_defaults(func=run_void)
    _register_resurvey(subparsers)


def _register_resurvey(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("resurvey-request", help=tr("office.cli.resurvey_request_help"))
    _common(p)
    p.add_argument("number", help=tr("office.cli.resurvey_request_number"))
    p.add_argument("--reason", required=True, help=tr("office.cli.resurvey_request_reason"))
    p.add_argument("--assign", default="", help=tr("office.cli.resurvey_request_assign"))
    p.add_argument("--requested-on", default=None, help=tr("office.cli.resurvey_request_requested_on"))
    p.add_argument("--stage", default=None, choices=["second", "resurvey"])
    p.set_defaults(func=run_resurvey_request)

    p = subparsers.add_parser("resurvey-reissue", help=tr("office.cli.resurvey_reissue_help"))
    _common(p)
    p.add_argument("request", help=tr("office.cli.resurvey_reissue_request"))
    p.add_argument("--issued-on", default=None)
    _out_args(p)
    p.set_defaults(func=run_resurvey_reissue)

    p = subparsers.add_parser("history", help=tr("office.cli.history_help"))
    _common(p)
    p.add_argument("number", nargs="?", help=tr("office.cli.history_number"))
    p.add_argument("--building", default=None, help=tr("office.cli.history_building"))
    p.set_defaults(func=run_history)

    p = subparsers.add_parser("print-batch", help=tr("office.cli.print_batch_help"))
    _common(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--pending", action="store_true", help=tr("office.cli.print_batch_pending"))
    which.add_argument("--numbers", help=tr("office.cli.print_batch_numbers"))
    _out_args(p)
    p.set_defaults(func=run_print_batch)


def single_file(args: argparse.Namespace) -> bool:
    """One PDF unless --per-household, or --out names a folder (no .pdf suffix)."""
    if args.per_household:
        return False
    return args.out is None or args.out.suffix.lower() == ".pdf"


def open_workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open_default(actor=args.actor)


def progress_printer(done: int, total: int) -> None:
    if done == total or done % 50 == 0:
        print(f"\r{done}/{total}", end="\n" if done == total else "", file=sys.stderr,
              flush=True)


def run_apply(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        disaster = resolve_disaster(ws, args.disaster)
        form = ApplicationForm(
            disaster_id=disaster["id"], applicant_name=args.name, applicant_kana=args.kana,
            household_address=args.household_address, damaged_address=args.damaged_address,
            cause=args.cause, members=[_member(m) for m in args.member], contact=args.contact,
            requested_method=args.method, received_on=args.received_on,
            application_no=args.application_no, building_id=args.building)
        result = register_application(ws, form)
    except OfficeError as err:
        raise CliError(str(err)) from err
    print(f"{result.application_no}\t{result.id}\t{result.building_id or '-'}")
    for warning in result.warnings():
        print(tr("office.cli.note", message=warning), file=sys.stderr)
    return 0


def _member(text: str) -> dict:
    parts = [p.strip() for p in text.replace("，", ",").split(",")]
    parts += [""] * (3 - len(parts))
    return {"name": parts[0], "relation": parts[1], "birth_date": parts[2]}


def run_applications(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        disaster = resolve_disaster(ws, args.disaster)
    except OfficeError as err:
        raise CliError(str(err)) from err
    for a in search_applications(ws, disaster["id"], args.text):
        print("\t".join((a["application_no"], a["applicant_name"], a["applicant_kana"] or "-",
                         a["damaged_address"], a["id"])))
    return 0


def _application_id(ws: Workspace, disaster: dict, text: str) -> str:
    row = ws.store.db.execute(
        "SELECT id FROM applications WHERE id = ? OR (disaster_id = ? AND application_no = ?)",
        [text, disaster["id"], text]).fetchone()
    if row is None:
        raise OfficeError(tr("office.application_unknown", value=text))
    return row[0]


def _extras(args: argparse.Namespace) -> tuple[str, str, str] | None:
    values = (args.extra1, args.extra2, args.extra3)
    return None if all(v is None for v in values) else tuple(v or "" for v in values)


def _report(outcomes) -> None:
    for o in outcomes:
        e = o.entry
        print(f"{e['number_text']}\t{e['kind']}\t{e['grade'] or '-'}\t{o.pdf_path or '-'}")
        for warning in o.warnings:
            print(tr("office.cli.warning", message=warning), file=sys.stderr)


def run_issue(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    options = {"kind": args.kind, "extras": _extras(args), "reported_damage": args.damage,
               "issued_on": args.issued_on}
    try:
        disaster = resolve_disaster(ws, args.disaster)
        if args.all_judged:
            return _issue_all(ws, disaster, args)
        if args.survey:
            outcomes = issue_for_survey(ws, args.survey, out=args.out, **options)
        else:
            app_id = _application_id(ws, disaster, args.application)
            outcomes = [issue_certificate(ws, app_id, out=args.out, **options)]
    except OfficeError as err:
        raise CliError(str(err)) from err
    _report(outcomes)
    return 0


def _issue_all(ws: Workspace, disaster: dict, args: argparse.Namespace) -> int:
    batch = issue_all_judged(ws, disaster["id"], out=args.out, single_file=single_file(args),
                             issued_on=args.issued_on, progress=progress_printer)
    for entry in batch.issued:
        print(f"{entry['number_text']}\t{entry['grade']}\t{entry['application_id']}")
    for application, reason in batch.skipped:
        print(tr("office.cli.skipped", no=application["application_no"], reason=reason),
              file=sys.stderr)
    if batch.printed:
        for path in batch.printed.files:
            print(f"PDF: {path}")
        for warning in batch.printed.warnings:
            print(tr("office.cli.warning", message=warning), file=sys.stderr)
    return 0


def run_reissue(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        entry = entry_by_number(ws, resolve_disaster(ws, args.disaster), args.number)
        outcome = reissue_certificate(ws, entry["id"], reason=args.reason, survey_id=args.survey,
                                      extras=_extras(args), issued_on=args.issued_on,
                                      out=args.out)
    except OfficeError as err:
        raise CliError(str(err)) from err
    _report([outcome])
    return 0


def run_void(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        entry = entry_by_number(ws, resolve_disaster(ws, args.disaster), args.number)
        outcome = void_certificate(ws, entry["id"], reason=args.reason, out=args.out,
                                   print_copy=args.print)
    except OfficeError as err:
        raise CliError(str(err)) from err
    print(f"{outcome.entry['number_text']}\tvoided\t{outcome.pdf_path or '-'}")
    return 0


def run_resurvey_request(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        entry = entry_by_number(ws, resolve_disaster(ws, args.disaster), args.number)
        request = request_resurvey(ws, entry["id"], reason=args.reason,
                                   requested_on=args.requested_on, surveyor=args.assign,
                                   stage=args.stage)
    except OfficeError as err:
        raise CliError(str(err)) from err
    survey = ws.store.surveys.get(request["new_survey_id"])
    print(f"{request['id']}\t{survey['stage']}\t{survey['id']}\t{survey['surveyor'] or '-'}")
    return 0


def run_resurvey_reissue(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        outcome = reissue_after_resurvey(ws, args.request, issued_on=args.issued_on,
                                         out=args.out)
    except OfficeError as err:
        raise CliError(str(err)) from err
    _report([outcome])
    return 0


def run_history(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        building_id = args.building
        if not building_id:
            if not args.number:
                raise OfficeError(tr("office.cli.history_needs_target"))
            disaster = resolve_disaster(ws, args.disaster)
            building_id = entry_by_number(ws, disaster, args.number)["building_id"]
    except OfficeError as err:
        raise CliError(str(err)) from err
    # The last column is the id other commands take: a request's for resurvey-reissue, a
    # survey's for issue --survey / reissue --survey.
    for event in history(ws, building_id):
        print(f"{event.at[:10]}\t{event.title}\t{event.detail}\t{event.ref_id}")
    return 0


def run_print_batch(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    try:
        disaster = resolve_disaster(ws, args.disaster)
        options = {"out": args.out, "single_file": single_file(args),
                   "progress": progress_printer}
        if args.numbers:
            entries = [entry_by_number(ws, disaster, n) for n in _numbers(args.numbers)]
            outcome = print_entries(ws, entries, **options)
        else:
            outcome = print_pending(ws, disaster["id"], **options)
    except OfficeError as err:
        raise CliError(str(err)) from err
    for path in outcome.files:
        print(f"PDF: {path}")
    for warning in outcome.warnings:
        print(tr("office.cli.warning", message=warning), file=sys.stderr)
    print(tr("office.cli.printed_count", count=outcome.printed), file=sys.stderr)
    return 0


def _numbers(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise OfficeError(tr("office.cli.numbers_invalid", value=spec))
        out += list(range(int(low), int(high or low) + 1))
    return out
