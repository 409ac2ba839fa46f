"""`survey-app photo-info FILE...`: one JSON line per photo; bad files get an `error` line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from survey_app.i18n import tr
from survey_app.photos import inspect_photo


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("photo-info", help=tr("photos.cli_help"))
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=tr("photos.cli_files"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 1 if any file could not be read as a photo; the others are still printed."""
    failed = 0
    for path in args.files:
        info = inspect_photo(path)
        failed += "error" in info
        sys.stdout.write(json.dumps(info, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 1 if failed else 0
