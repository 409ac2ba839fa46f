"""The command-line shape of the server's commands, shared by `survey-app serve|create-admin|
users …` (survey_app/cli, which runs the server in a child process and must not import it)
and the server's own `python -m survey_app.server …`: one definition, so the two never drift.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from survey_app.i18n import tr
from survey_app.sync.protocol import ROLES

USER_ACTIONS = ("add", "list", "disable", "enable", "reset-password")


def storage_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="URL", help=tr("sync.cli.serve_db"))
    parser.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help=tr("sync.cli.serve_data"))


def municipality_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--municipality", required=True, metavar="CODE",
                        help=tr("sync.cli.admin_municipality"))


def add_users_parser(subparsers: argparse._SubParsersAction,
                     each: Callable[[argparse.ArgumentParser], None] = lambda _p: None) -> None:
    """`users add|list|disable|enable|reset-password`; `each(parser)` adds what the caller
    needs on every action (its defaults). `--home` is None when not given."""
    users = subparsers.add_parser("users", help=tr("users.cli.help"))
    actions = users.add_subparsers(dest="action", required=True)
    for action in USER_ACTIONS:
        p = actions.add_parser(action, help=tr(f"users.cli.{action.replace('-', '_')}_help"))
        storage_arguments(p)
        municipality_argument(p)
        each(p)
        if action == "list":
            p.add_argument("--json", action="store_true", help=tr("users.cli.json_help"))
            continue
        p.add_argument("--username", required=True, help=tr("users.cli.username_help"))
        if action == "add":
            p.add_argument("--role", required=True, choices=ROLES, help=tr("users.cli.role_help"))
            p.add_argument("--until", default=None, metavar="YYYY-MM-DD",
                           help=tr("users.cli.until_help"))
            p.add_argument("--home", default=None, metavar="TEXT",
                           help=tr("users.cli.home_help"))
        elif action == "enable":
            until = p.add_mutually_exclusive_group()
            until.add_argument("--until", default=None, metavar="YYYY-MM-DD",
                               help=tr("users.cli.until_help"))
            until.add_argument("--no-expiry", action="store_true",
                               help=tr("users.cli.no_expiry_help"))
