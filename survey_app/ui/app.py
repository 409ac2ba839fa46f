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
from survey_app.i18n import LANGUAGES, current_language, set_language, tr
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
        install_qt_translations(lang)
        self.show_window()


_qt_translators: list = []  # the installed QTranslators, to remove on a language switch


def install_qt_translations(lang: str) -> bool:
    """Qt's own texts (standard buttons such as 保存/キャンセル, file dialogs, context menus) in
    `lang`. Qt ships them as qtbase_<lang>.qm beside its libraries (the bundle keeps ja and en,
    build.spec). Qt's texts are English already, so English needs none. False if not found."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    app = QCoreApplication.instance()
    for old in _qt_translators:
        app.removeTranslator(old)
        old.deleteLater()
    _qt_translators.clear()
    if lang == "en":
        return True
    translator = QTranslator(app)
    for folder in _qt_translation_dirs():
        if translator.load(f"qtbase_{lang}", folder):
            app.installTranslator(translator)
            _qt_translators.append(translator)
            return True
    translator.deleteLater()
    return False


def _qt_translation_dirs() -> list[str]:
    """Where Qt says its translations are (PySide6 points Qt at its own folder, in the venv and
    in the PyInstaller bundle alike), then that folder itself in the wheel's layouts (Linux and
    macOS: PySide6/Qt/translations, Windows: PySide6/translations) should Qt's answer miss."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    package = Path(PySide6.__file__).resolve().parent
    return [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
            str(package / "Qt" / "translations"), str(package / "translations")]


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
    install_qt_translations(current_language())
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
