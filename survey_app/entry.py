"""The `survey-app` command: the desktop app with no arguments, the command line otherwise.

This module sits above every layer so that the command line (Qt-free) and the desktop app
(the only Qt user) stay independent of each other.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("gui", "app"):
        from survey_app.ui.app import run_app

        return run_app(args[1:])
    from survey_app.cli import main as cli_main

    return cli_main(args)
