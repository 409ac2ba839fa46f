"""`survey-app serve [--db URL] [--host H] [--port P] [--data DIR]`, `survey-app
create-admin --municipality CODE --username U` and `survey-app users add|list|disable|enable|
reset-password --municipality CODE …`: all run the server's own command line
(`python -m survey_app.server`) in a child process, so this layer never imports the server's.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import subprocess
import sys
import threading
from pathlib import Path

from survey_app.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help=tr("sync.cli.serve_help"))
    _storage(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=None)
    serve.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                       help=tr("users.cli.forwarded_help"))
    serve.set_defaults(func=run, server_command="serve")
    admin = subparsers.add_parser("create-admin", help=tr("sync.cli.admin_help"))
    _storage(admin)
    admin.add_argument("--municipality", required=True, metavar="CODE",
                       help=tr("sync.cli.admin_municipality"))
    admin.add_argument("--username", required=True, help=tr("sync.cli.admin_username"))
    admin.set_defaults(func=run, server_command="create-admin")
    _users(subparsers)


USER_ACTIONS = ("add", "list", "disable", "enable", "reset-password")
ROLES = ("surveyor", "office", "admin")  # survey_app.sync.protocol.ROLES; the server checks


def _users(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help=tr("users.cli.help"))
    actions = users.add_subparsers(dest="action", required=True)
    for action in USER_ACTIONS:
        p = actions.add_parser(action, help=tr(f"users.cli.{action.replace('-', '_')}_help"))
        _storage(p)
        p.add_argument("--municipality", required=True, metavar="CODE",
                       help=tr("sync.cli.admin_municipality"))
        p.set_defaults(func=run, server_command="users")
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


def _storage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="URL", help=tr("sync.cli.serve_db"))
    parser.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help=tr("sync.cli.serve_data"))


_VALUED = ("db", "data", "host", "port", "workers", "forwarded_allow_ips", "municipality",
           "username", "role", "until", "home")
_SWITCHES = ("json", "no_expiry")


def server_argv(args: argparse.Namespace) -> list[str]:
    argv = [args.server_command]
    if args.server_command == "users":
        argv.append(args.action)
    for name in _VALUED:
        value = getattr(args, name, None)
        if value is not None:
            argv += [f"--{name.replace('_', '-')}", str(value)]
    argv += [f"--{name.replace('_', '-')}" for name in _SWITCHES if getattr(args, name, False)]
    return argv


def run(args: argparse.Namespace) -> int:
    """The child inherits stdin (a password) and the terminal (Ctrl+C reaches both). A SIGTERM
    or SIGHUP sent to this process alone (`kill PID`, a service manager) is passed on, so the
    server never outlives the command that started it."""
    child = subprocess.Popen([sys.executable, "-m", "survey_app.server", *server_argv(args)])
    previous = _forward_signals(child)
    try:
        return child.wait()
    except KeyboardInterrupt:
        with contextlib.suppress(subprocess.TimeoutExpired, KeyboardInterrupt):
            child.wait(10)
        return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _forward_signals(child: subprocess.Popen) -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    names = ("SIGTERM", "SIGHUP")
    return {sig: signal.signal(sig, forward)
            for sig in (getattr(signal, n) for n in names if hasattr(signal, n))}
