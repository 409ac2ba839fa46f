"""`survey-app serve [--db URL] [--host H] [--port P] [--data DIR]` and `survey-app
create-admin --municipality CODE --username U`: both run the server's own command line
(`python -m survey_app.server`) in a child process, so this layer never imports the server's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from survey_app.i18n import tr


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help=tr("sync.cli.serve_help"))
    _storage(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=None)
    serve.set_defaults(func=run, server_command="serve")
    admin = subparsers.add_parser("create-admin", help=tr("sync.cli.admin_help"))
    _storage(admin)
    admin.add_argument("--municipality", required=True, metavar="CODE",
                       help=tr("sync.cli.admin_municipality"))
    admin.add_argument("--username", required=True, help=tr("sync.cli.admin_username"))
    admin.set_defaults(func=run, server_command="create-admin")


def _storage(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="URL", help=tr("sync.cli.serve_db"))
    parser.add_argument("--data", type=Path, default=None, metavar="DIR",
                        help=tr("sync.cli.serve_data"))


def server_argv(args: argparse.Namespace) -> list[str]:
    argv = [args.server_command]
    for flag in ("db", "data", "host", "port", "workers", "municipality", "username"):
        value = getattr(args, flag, None)
        if value is not None:
            argv += [f"--{flag}", str(value)]
    return argv


def run(args: argparse.Namespace) -> int:
    """The child inherits stdin (the admin's password) and the terminal (Ctrl+C)."""
    cmd = [sys.executable, "-m", "survey_app.server", *server_argv(args)]
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 130
