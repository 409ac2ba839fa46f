"""The `survey-app` command: the desktop app with no arguments, the command line otherwise.

This module sits above every layer so that the command line (Qt-free) and the desktop app
(the only Qt user) stay independent of each other.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # `serve --workers N` starts processes through multiprocessing, which runs this
        # program again with its own arguments: those runs belong to multiprocessing.
        import multiprocessing

        multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else argv
    if getattr(sys, "frozen", False) and args[:1] == ["-m"] and len(args) > 1:
        # In the bundle sys.executable is this program: `survey-app -m MODULE ...` stands in
        # for `python -m MODULE ...` when a command starts a helper process (the server).
        import runpy

        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    if not args or args[0] in ("gui", "app"):
        from survey_app.ui.app import run_app

        return run_app(args[1:])
    from survey_app.cli import main as cli_main

    return cli_main(args)
