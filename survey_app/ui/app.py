"""The composition root of the desktop app: Qt set-up, language, font, workspace, main window.

`run_app(argv)` is what `survey-app` (no arguments) calls. Order matters: the tile URL scheme and
Chromium's flags must be set before QApplication exists.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from survey_app import paths
from survey_app.i18n import LANGUAGES, set_language, tr
from survey_app.services.settings import AppSettings, load_settings
from survey_app.ui import web


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="survey-app", description=tr("ui.app_title"))
    parser.add_argument("--home", type=Path, help=tr("ui.cli.home"))
    parser.add_argument("--lang", choices=LANGUAGES, help=tr("ui.cli.lang"))
    # For the start-up benchmark: print when the window is on screen, then quit.
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


class App:
    """Owns the QApplication-wide objects; rebuilds the main window when the language changes."""

    def __init__(self, home: Path, settings: AppSettings) -> None:
        from survey_app.ui.ops import Ops

        self.home = home
        self.settings = settings
        self.ops = Ops(home, actor=settings.surveyor or "local")
        self.window = None

    def show_window(self):
        from survey_app.ui.main_window import MainWindow

        old = self.window
        self.window = MainWindow(self.ops, self.settings)
        self.window.language_requested.connect(self._change_language)
        if old is not None:
            self.window.setGeometry(old.geometry())
            old.close()
            old.deleteLater()
        self.window.show()
        return self.window

    def _change_language(self, lang: str) -> None:
        set_language(lang)
        self.show_window()


def run_app(argv: list[str]) -> int:
    started = time.perf_counter()
    opts = _parse(argv)
    web.prepare_before_qapplication()
    from PySide6.QtWidgets import QApplication

    from survey_app.ui.fonts import install_japanese_font

    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    install_japanese_font(qt_app)
    home = opts.home or paths.user_data_dir()
    settings = load_settings(home)
    set_language(opts.lang or _env_language() or settings.language)
    app = App(home, settings)
    window = app.show_window()
    if opts.quit_when_shown:
        _report_start_up(qt_app, window, started)
    try:
        return qt_app.exec()
    finally:
        app.ops.shutdown()


def _report_start_up(qt_app, window, started: float) -> None:
    from PySide6.QtCore import QTimer

    def on_page(rows: int) -> None:
        print(f"list {time.perf_counter() - started:.3f} {time.time():.3f} rows {rows}",
              flush=True)
        QTimer.singleShot(0, qt_app.quit)

    # The first turn of the event loop is when the window has been painted; the wall-clock
    # time lets a benchmark count from the moment it started the process.
    QTimer.singleShot(0, lambda: print(
        f"shown {time.perf_counter() - started:.3f} {time.time():.3f}", flush=True))
    window.list_model.page_loaded.connect(on_page)


def _env_language() -> str | None:
    import os

    lang = os.environ.get("SURVEY_APP_LANG")
    return lang if lang in LANGUAGES else None
