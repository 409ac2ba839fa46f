"""The server's own command line, `python -m survey_app.server serve|create-admin|users …`;
the `survey-app serve`, `survey-app create-admin` and `survey-app users` commands run it (the
command-line layer does not import the server layer).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from survey_app.i18n import tr
from survey_app.server import users_cli
from survey_app.server.db import DatabaseUnavailable
from survey_app.server.errors import ApiError
from survey_app.server.settings import Settings, mask_url
from survey_app.sync.server_args import municipality_argument, storage_arguments

log = logging.getLogger("survey_app.server")


class RunError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8765,
          log_level: str = "info", workers: int = 1, forwarded_allow_ips: str | None = None
          ) -> None:
    """Run under uvicorn; with `workers` > 1, that many processes share the port (the
    settings reach them through SURVEY_SERVER_* variables). Behind a reverse proxy the client
    address (which the login limiter counts) comes from X-Forwarded-For, trusted only from
    `forwarded_allow_ips` (uvicorn's default: 127.0.0.1, a proxy on the same machine)."""
    import uvicorn

    from survey_app.server.app import create_app

    _log_to_stderr(log_level)
    log.info("survey_app server on http://%s:%d (%s)", host, port, settings.describe())
    # Access lines hold the method and path only: tokens travel in headers, never in URLs.
    options = {"host": host, "port": port, "log_level": log_level, "server_header": False,
               "timeout_graceful_shutdown": 5, "proxy_headers": True}
    if forwarded_allow_ips:
        options["forwarded_allow_ips"] = forwarded_allow_ips
    if workers <= 1:
        uvicorn.run(create_app(settings), **options)
        return
    create_app(settings).state.server.close()  # migrations once, before the workers start
    os.environ.update(settings.to_env())
    os.environ[_WORKER_LOG_LEVEL] = log_level
    uvicorn.run("survey_app.server.run:app_from_env", factory=True, workers=workers, **options)


def app_from_env():  # -> FastAPI; the factory each worker process calls
    from survey_app.server.app import create_app

    _log_to_stderr(os.environ.get(_WORKER_LOG_LEVEL, "info"))  # a worker starts unconfigured
    return create_app(Settings.from_env())


_WORKER_LOG_LEVEL = "SURVEY_SERVER_WORKER_LOG_LEVEL"  # serve → its workers; not a setting


def _log_to_stderr(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(message)s")


def read_password(*, confirm: bool) -> str:
    """From a prompt on a terminal (asked twice), else the first line of stdin; never from the
    command line, where other users of the machine could read it."""
    if sys.stdin.isatty():
        first = getpass.getpass(tr("sync.cli.password_prompt"))
        if confirm and getpass.getpass(tr("sync.cli.password_again")) != first:
            raise RunError(tr("sync.cli.password_mismatch"))
        password = first
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise RunError(tr("sync.cli.password_empty"))
    return password


def _create_admin(args: argparse.Namespace, settings: Settings) -> None:
    from survey_app.server.admin import AdminError, create_admin

    password = read_password(confirm=True)
    try:
        create_admin(settings, municipality_code=args.municipality, username=args.username,
                     password=password, municipality_name=args.name)
    except AdminError as err:
        raise RunError(tr(f"sync.cli.admin_{err.code}", username=args.username,
                          municipality=args.municipality)) from None
    print(tr("sync.cli.admin_created", username=args.username, municipality=args.municipality))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m survey_app.server")
    sub = parser.add_subparsers(dest="command", required=True)
    users_cli.add_parser(sub)
    for name in ("serve", "create-admin"):
        p = sub.add_parser(name)
        storage_arguments(p)
        if name == "serve":
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8765)
            p.add_argument("--log-level", default="info")
            p.add_argument("--workers", type=int, default=1)
            p.add_argument("--forwarded-allow-ips", default=None, metavar="IPS")
        else:
            municipality_argument(p)
            p.add_argument("--username", required=True, help=tr("sync.cli.admin_username"))
            p.add_argument("--name", default="", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(db_url=args.db, data_dir=args.data)
    try:
        if args.command == "serve":
            serve(settings, host=args.host, port=args.port, log_level=args.log_level,
                  workers=args.workers, forwarded_allow_ips=args.forwarded_allow_ips)
        elif args.command == "users":
            users_cli.run(args, settings, read_password)
        else:
            _create_admin(args, settings)
    except ApiError as err:
        print(tr("cli.error", message=users_cli.error_message(err)), file=sys.stderr)
        return 2
    except RunError as err:
        print(tr("cli.error", message=str(err)), file=sys.stderr)
        return 2
    except DatabaseUnavailable:
        message = tr("sync.cli.db_unreachable", url=mask_url(settings.database_url))
        print(tr("cli.error", message=message), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
