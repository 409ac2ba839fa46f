"""Backup, restore and the support bundle from the command line.

  survey-app backup FILE.zip [--home DIR] [--overwrite]
  survey-app restore FILE.zip [--into DIR] [--replace] [--check-only]
  survey-app support-bundle FILE.zip [--home DIR] [--verify-blobs]

Close the desktop app before a restore: the restored folder takes the place of the open one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from survey_app import paths
from survey_app.cli import CliError
from survey_app.i18n import tr
from survey_app.services.backup import BackupError, create_backup
from survey_app.services.backup_restore import restore_backup, verify_backup
from survey_app.services.support import create_support_bundle


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help=tr("backup.cli.backup_help"))
    p.add_argument("file", type=Path, metavar="FILE.zip", help=tr("backup.cli.backup_file"))
    p.add_argument("--home", type=Path, default=None, help=tr("backup.cli.home"))
    p.add_argument("--overwrite", action="store_true", help=tr("backup.cli.overwrite"))
    p.set_defaults(func=run_backup)

    p = subparsers.add_parser("restore", help=tr("backup.cli.restore_help"))
    p.add_argument("file", type=Path, metavar="FILE.zip", help=tr("backup.cli.restore_file"))
    p.add_argument("--into", type=Path, default=None, help=tr("backup.cli.into"))
    p.add_argument("--replace", action="store_true", help=tr("backup.cli.replace"))
    p.add_argument("--check-only", action="store_true", help=tr("backup.cli.check_only"))
    p.set_defaults(func=run_restore)

    p = subparsers.add_parser("support-bundle", help=tr("backup.cli.support_help"))
    p.add_argument("file", type=Path, metavar="FILE.zip", help=tr("backup.cli.support_file"))
    p.add_argument("--home", type=Path, default=None, help=tr("backup.cli.home"))
    p.add_argument("--overwrite", action="store_true", help=tr("backup.cli.overwrite"))
    p.add_argument("--verify-blobs", action="store_true", help=tr("backup.cli.verify_blobs"))
    p.set_defaults(func=run_support)


class _Progress:
    """Prints the percentage on one line of stderr, only when it changes."""

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        if percent != self.shown:
            self.shown = percent
            print(f"\r{percent:3d}%", end="\n" if percent == 100 else "", file=sys.stderr,
                  flush=True)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(tr("backup.cli.warning", message=warning), file=sys.stderr)


def run_backup(args: argparse.Namespace) -> int:
    home = args.home or paths.user_data_dir()
    try:
        result = create_backup(home, args.file, overwrite=args.overwrite, progress=_Progress())
    except BackupError as err:
        raise CliError(str(err)) from None
    _warn(result.warnings)
    counts = result.manifest["counts"]
    print(tr("backup.cli.backup_done", path=result.path, size=f"{result.size / 1e6:,.1f}",
             surveys=counts.get("surveys", 0), photos=counts.get("blobs", 0)))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    try:
        if args.check_only:
            check = verify_backup(args.file, progress=_Progress())
            _warn(check.warnings)
            print(tr("backup.cli.check_done", path=args.file,
                     created=check.manifest.get("created_at", "?")))
            return 0
        into = args.into or paths.user_data_dir()
        result = restore_backup(args.file, into, replace=args.replace, progress=_Progress())
    except BackupError as err:
        raise CliError(str(err)) from None
    _warn(result.warnings)
    print(tr("backup.cli.restore_done", path=result.home))
    if result.moved_aside:
        print(tr("backup.cli.moved_aside", path=result.moved_aside))
    return 0


def run_support(args: argparse.Namespace) -> int:
    home = args.home or paths.user_data_dir()
    try:
        result = create_support_bundle(home, args.file, overwrite=args.overwrite,
                                       verify_blobs=args.verify_blobs)
    except BackupError as err:
        raise CliError(str(err)) from None
    print(tr("backup.cli.support_done", path=result.path, logs=len(result.logs)))
    return 0
