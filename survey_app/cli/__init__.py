"""The command line: one module per command, each with `register(subparsers)`.

Errors a user can fix are raised as `CliError` and printed as one plain line (no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from survey_app import __version__
from survey_app.i18n import tr

# Each module defines register(subparsers); the parser it adds sets `func=run(args) -> int`.
COMMAND_MODULES = (
    "forms_cmd",
    "assess_cmd",
    "photo_cmd",
    "demo_cmd",
    "office_cmd",
    "serve_cmd",
    "sync_cmd",
    "backup_cmd",
    "export_cmd",
)


class CliError(Exception):
    """A user-facing error: printed without a traceback, exits with `status`."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="survey-app",
        description="住家の被害認定調査・罹災証明書交付システム (引数なしでアプリを起動)",
    )
    parser.add_argument("--version", action="version", version=f"survey-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"survey_app.cli.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CliError as err:
        print(tr("cli.error", message=str(err)), file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        return 130
