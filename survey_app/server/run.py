"""Run the server under uvicorn (used by `survey-app serve` and `python -m survey_app.server`)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from survey_app.server.settings import Settings

log = logging.getLogger("survey_app.server")


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8765,
          log_level: str = "info") -> None:
    import uvicorn

    from survey_app.server.app import create_app

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    app = create_app(settings)
    log.info("survey_app server on http://%s:%d (%s)", host, port, settings.describe())
    # Access lines hold the method and path only: tokens travel in headers, never in URLs.
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5,
                server_header=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m survey_app.server")
    parser.add_argument("--db", default=None)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    settings = Settings.from_env(db_url=args.db, data_dir=args.data)
    serve(settings, host=args.host, port=args.port, log_level=args.log_level)
    return 0
