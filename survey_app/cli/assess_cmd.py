"""`survey-app assess FILE.json`: judge one survey's observations and print the result as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from survey_app.cli import CliError
from survey_app.domain.observations import ObservationError
from survey_app.i18n import tr
from survey_app.rules import RulesError, default_rulebook


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("assess", help=tr("assess.help"), description=tr("assess.description"))
    parser.add_argument("file", metavar="FILE.json", type=Path, help=tr("assess.file_help"))
    parser.add_argument("--rules-version", metavar="VERSION", help=tr("assess.version_help"))
    parser.add_argument("--local", metavar="ID", help=tr("assess.local_help"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    obs = read_observations(args.file)
    try:
        judgement = default_rulebook().judge(obs, version=args.rules_version, local=args.local)
    except ObservationError as err:
        raise CliError(tr("assess.invalid", issues=" ／ ".join(str(i) for i in err.issues))) from None
    except RulesError as err:
        raise CliError(str(err)) from None
    print(json.dumps(judgement.to_dict(), ensure_ascii=False, indent=2))
    return 0


def read_observations(path: Path) -> Any:
    """The parsed file, or CliError naming the file and what is wrong with it."""
    try:
        # utf-8-sig: files saved by Windows editors often start with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(tr("cli.file_not_found", path=path)) from None
    except UnicodeDecodeError:
        raise CliError(tr("assess.not_utf8", path=path)) from None
    except OSError as err:
        raise CliError(tr("assess.unreadable", path=path, reason=err.strerror or err)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise CliError(tr("cli.invalid_json", path=path, line=err.lineno, reason=err.msg)) from None
