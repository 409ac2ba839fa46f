"""Regenerate docs/screenshots/{export_dialog,register_import}.png, offscreen.

    .venv/bin/python scripts/dialog_screenshots.py [OUT_DIR]

Builds the demo town in a temporary folder, runs a real export (the FDMA report as XLSX) and a
real register import (a small 家屋課税台帳 extract with one broken row) through the dialogs and
grabs them once they show their results.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SURVEY_APP_LANG"] = os.environ.get("SURVEY_APP_LANG", "ja")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey_app.services.demo import build_demo  # noqa: E402
from survey_app.services.workspace import Workspace  # noqa: E402

REGISTER = ("家屋番号,所在地,所有者氏名,所有者カナ,構造,階数,床面積,用途\r\n"
            "101-1,熊本県上益城郡益城町宮園1丁目1番,宮園 一郎,ミヤゾノ イチロウ,木造,2階,98.5,居宅\r\n"
            "101-2,熊本県上益城郡益城町宮園1丁目2番,宮園 花子,ミヤゾノ ハナコ,木造,2,120.2,居宅\r\n"
            "101-3,熊本県上益城郡益城町宮園1丁目3番,木山 健,キヤマ ケン,鉄骨造,三,210,店舗\r\n"
            "101-4,,寺迫 美咲,テラサコ ミサキ,木造,1,65,居宅\r\n"
            "101-5,熊本県上益城郡益城町宮園1丁目5番,益城町,マシキマチ,鉄筋コンクリート造,2,540,公民館\r\n"
            "101-6,熊本県上益城郡益城町宮園1丁目6番,安永 進,ヤスナガ ススム,木造,2,104,居宅\r\n")


def _wait(app, done: Callable[[], bool], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the dialog did not finish")
        app.processEvents()
        time.sleep(0.02)


def main(out_dir: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from survey_app.ui.dialogs.export_dialog import ExportDialog
    from survey_app.ui.dialogs.register_import_dialog import RegisterImportDialog
    from survey_app.ui.fonts import install_japanese_font
    from survey_app.ui.ops import Ops

    app = QApplication.instance() or QApplication([])
    install_japanese_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        ws = Workspace(home, actor="デモ")
        build_demo(ws, buildings=300, photo_homes=0, seed=2026)
        did = max((d["id"] for d in ws.store.buildings.disasters()), key=ws.store.buildings.count)
        ws.close()
        ops = Ops(home, actor="デモ")
        try:
            export = ExportDialog(ops, did)
            export.select_kind("fdma", "xlsx")
            export.out_path = Path(tmp) / "報告" / "被害状況即報_20260415.xlsx"
            export.show()
            export.start()
            _wait(app, lambda: not export.running and export.result is not None)
            export.grab().save(str(out_dir / "export_dialog.png"))
            csv_path = Path(tmp) / "家屋課税台帳_宮園.csv"
            csv_path.write_text(REGISTER, encoding="cp932")
            dialog = RegisterImportDialog(ops, did)
            dialog.show()
            dialog.load_file(csv_path)
            _wait(app, lambda: bool(dialog.header))
            dialog.start_import()
            _wait(app, lambda: dialog.report is not None)
            dialog.grab().save(str(out_dir / "register_import.png"))
        finally:
            _wait(app, lambda: ops.pending == 0)
            ops.shutdown()
    print(out_dir / "export_dialog.png", out_dir / "register_import.png")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    sys.exit(main(target))
