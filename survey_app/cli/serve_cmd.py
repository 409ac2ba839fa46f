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

from survey_app.i18n import tr
from survey_app.sync.server_args import (
    add_users_parser,
    municipality_argument,
    storage_arguments,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help=tr("sync.cli.serve_help"))
    storage_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=None)
    serve.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                       help=tr("users.cli.forwarded_help"))
    serve.set_defaults(func=run, server_command="serve")
    admin = subparsers.add_parser("create-admin", help=tr("sync.cli.admin_help"))
    storage_arguments(admin)
    municipality_argument(admin)
    admin.add_argument("--username", required=True, help=tr("sync.cli.admin_username"))
    admin.set_defaults(func=run, server_command="create-admin")
    add_users_parser(subparsers, lambda p: p.set_defaults(func=run, server_command="users"))


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
