"""What every screenshot script shares: offscreen Qt with the Japanese font, the language and
output folder from the command line, a demo town in a temporary folder, and a wait loop that
keeps Qt's event loop turning while the app's worker lanes finish.

    .venv/bin/python scripts/SCRIPT.py [OUT_DIR] [--lang ja|en]

Japanese shots go to docs/screenshots/, English ones to docs/screenshots/en/ unless OUT_DIR is
given. Import this module before anything from survey_app: it sets the environment Qt and the
catalogue read.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SURVEY_APP_LANG", "ja")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCREENSHOTS = ROOT / "docs" / "screenshots"


def output_dir(argv: list[str], description: str = "") -> Path:
    """Parse [OUT_DIR] [--lang]; set the app's language; make and return the folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--lang", choices=("ja", "en"), default=os.environ["SURVEY_APP_LANG"])
    args = parser.parse_args(argv)
    os.environ["SURVEY_APP_LANG"] = args.lang  # the catalogue reads it on every tr()
    out = args.out or (SCREENSHOTS if args.lang == "ja" else SCREENSHOTS / "en")
    out.mkdir(parents=True, exist_ok=True)
    return out


class Shots:
    """The QApplication and the helpers to drive windows to a state worth showing."""

    def __init__(self, out: Path, *, web: bool = False) -> None:
        if web:  # the map's tile scheme and Chromium flags must come before QApplication
            from survey_app.ui import web as web_glue

            web_glue.prepare_before_qapplication()
        from PySide6.QtWidgets import QApplication

        from survey_app.ui.fonts import install_japanese_font

        self.app = QApplication.instance() or QApplication([])
        if install_japanese_font(self.app) is None:
            raise SystemExit("no Japanese font found: the shots would show boxes (fonts-ipaexfont)")
        self.out = out
        self.saved: list[Path] = []

    def wait(self, done: Callable[[], bool], timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("the window did not reach the state to shoot")
            self.app.processEvents()
            time.sleep(0.02)
        self.app.processEvents()  # the layout catches up with the last texts set

    def settle(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def save(self, widget, name: str, *, settle: float = 0.3) -> Path:
        self.settle(settle)
        path = self.out / name
        widget.grab().save(str(path))
        self.saved.append(path)
        print(path)
        return path


def demo_home(folder: Path, *, buildings: int, seed: int = 2026, photo_homes: int = 0,
              actor: str = "デモ") -> tuple[Path, str]:
    """The demo town in `folder`/home; returns the folder and its larger disaster's id."""
    from survey_app.services.demo import build_demo
    from survey_app.services.workspace import Workspace

    home = folder / "home"
    ws = Workspace(home, actor=actor)
    try:
        build_demo(ws, buildings=buildings, photo_homes=photo_homes, seed=seed)
        did = max((d["id"] for d in ws.store.buildings.disasters()),
                  key=ws.store.buildings.count)
    finally:
        ws.close()
    return home, did


def close_ops(shots: Shots, ops) -> None:
    """Let the app's lanes finish what they were given, then stop them."""
    shots.wait(lambda: ops.pending == 0)
    ops.shutdown()
