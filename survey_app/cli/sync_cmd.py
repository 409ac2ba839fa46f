"""`survey-app sync --server URL --user U`: one full sync of this laptop's store (password from
SURVEY_APP_PASSWORD or a prompt). Exit status 0 only if the laptop and the server agree."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from survey_app.cli import CliError
from survey_app.i18n import tr
from survey_app.sync.errors import SyncError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sync", help=tr("sync.cli.sync_help"))
    parser.add_argument("--server", required=True, metavar="URL", help=tr("sync.cli.sync_server"))
    parser.add_argument("--user", required=True, help=tr("sync.cli.sync_user"))
    parser.set_defaults(func=run)


def _show(progress) -> None:  # noqa: ANN001 - SyncProgress
    line = tr("sync.cli.sync_progress", phase=progress.phase_label,
              records_done=progress.records_done, records_total=progress.records_total,
              photos_done=progress.photos_done, photos_total=progress.photos_total,
              mbytes=progress.bytes_done / 1e6)
    if sys.stderr.isatty():
        print("\r" + line, end="", file=sys.stderr, flush=True)


def read_password() -> str:
    """SURVEY_APP_PASSWORD, else a prompt on a terminal, else the first line of stdin."""
    password = os.environ.get("SURVEY_APP_PASSWORD", "")
    if not password:
        password = (getpass.getpass(tr("sync.cli.password_prompt")) if sys.stdin.isatty()
                    else sys.stdin.readline().rstrip("\r\n"))
    if not password:
        raise CliError(tr("sync.cli.password_empty"))
    return password


def run(args: argparse.Namespace) -> int:
    from survey_app.services.sync import SyncEngine
    from survey_app.services.workspace import Workspace

    password = read_password()
    ws = Workspace.open_default(actor=args.user)
    try:
        engine = SyncEngine(ws, args.server, username=args.user, password=password,
                            on_progress=_show)
    except SyncError as err:
        ws.close()
        raise CliError(err.message) from None
    try:
        report = engine.sync_once()
    finally:
        engine.close()
        ws.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if not report.ok or not report.agreed:
        raise CliError(report.message, status=1)
    print(report.message)
    return 0
