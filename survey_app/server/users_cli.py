"""`python -m survey_app.server users add|list|disable|enable|reset-password --municipality CODE
…` (what `survey-app users …` runs): user administration on the server machine, straight on
the database, for the admin who has no API client at hand or has locked themselves out.
Passwords come from a prompt or the first line of stdin, never from the command line.
"""

from __future__ import annotations

import argparse
import json
import unicodedata

from survey_app.i18n import tr
from survey_app.server.auth import Passwords
from survey_app.server.db import Database
from survey_app.server.errors import ApiError
from survey_app.server.migrations import apply_migrations
from survey_app.server.settings import Settings
from survey_app.server.users import UNSET, UserAdmin, check_new, check_password
from survey_app.sync.server_args import add_users_parser


def add_parser(sub: argparse._SubParsersAction) -> None:
    add_users_parser(sub)


def run(args: argparse.Namespace, settings: Settings, read_password) -> None:  # noqa: ANN001
    """Raises ApiError with a message ready to print; DatabaseUnavailable passes through."""
    db = Database(settings.database_url, pool_size=1)
    try:
        apply_migrations(db)
        admin = UserAdmin(db)
        if args.action == "list":
            _print_list(admin.list(args.municipality), as_json=args.json)
            return
        if args.action in ("add", "reset-password"):
            password = read_password(confirm=True)
            if args.action == "add":
                check_new(args.username, password, args.role, args.home or "")
            else:
                check_password(password)
            hashed = Passwords(settings).hash(password)
        if args.action == "add":
            user = admin.add(args.municipality, username=args.username, password_hash=hashed,
                             role=args.role, valid_until=args.until, home=args.home or "")
        elif args.action == "reset-password":
            user = admin.reset_password(args.municipality, args.username, hashed)
        else:
            user = admin.change(args.municipality, args.username,
                                active=args.action == "enable", valid_until=_until(args))
        print(tr(f"users.cli.done_{args.action.replace('-', '_')}", username=user["username"],
                 municipality=args.municipality, role=role_label(user["role"]),
                 until=user["valid_until"] or tr("users.cli.no_end")))
    finally:
        db.close()


def _until(args: argparse.Namespace) -> object:
    if args.action != "enable":
        return UNSET
    if args.no_expiry:
        return None
    return args.until if args.until else UNSET


def role_label(role: str) -> str:
    return tr(f"users.role.{role}")


def _print_list(users: list[dict], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(users, ensure_ascii=False, indent=1))
        return
    if not users:
        print(tr("users.cli.none"))
        return
    header = [tr(f"users.col.{c}") for c in ("username", "role", "state", "until", "home")]
    rows = [[u["username"], role_label(u["role"]), tr(f"users.state.{u['state']}"),
             u["valid_until"] or "-", u["home_municipality"] or "-"] for u in users]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    """Columns on a terminal: full-width (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def error_message(err: ApiError) -> str:
    return err.detail or err.code
