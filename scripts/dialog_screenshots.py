"""Regenerate docs/screenshots/{export_dialog,register_import}.png, offscreen.

    .venv/bin/python scripts/dialog_screenshots.py [OUT_DIR] [--lang ja|en]

Builds the demo town in a temporary folder, runs a real export (the FDMA report as XLSX) and a
real register import (a small 家屋課税台帳 extract with one broken row) through the dialogs and
grabs them once they show their results.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import Shots, close_ops, demo_home, output_dir

REGISTER = ("家屋番号,所在地,所有者氏名,所有者カナ,構造,階数,床面積,用途\r\n"
            "101-1,熊本県上益城郡益城町宮園1丁目1番,宮園 一郎,ミヤゾノ イチロウ,木造,2階,98.5,居宅\r\n"
            "101-2,熊本県上益城郡益城町宮園1丁目2番,宮園 花子,ミヤゾノ ハナコ,木造,2,120.2,居宅\r\n"
            "101-3,熊本県上益城郡益城町宮園1丁目3番,木山 健,キヤマ ケン,鉄骨造,三,210,店舗\r\n"
            "101-4,,寺迫 美咲,テラサコ ミサキ,木造,1,65,居宅\r\n"
            "101-5,熊本県上益城郡益城町宮園1丁目5番,益城町,マシキマチ,鉄筋コンクリート造,2,540,公民館\r\n"
            "101-6,熊本県上益城郡益城町宮園1丁目6番,安永 進,ヤスナガ ススム,木造,2,104,居宅\r\n")


def main(out_dir: Path) -> int:
    shots = Shots(out_dir)
    from survey_app.ui.dialogs.export_dialog import ExportDialog
    from survey_app.ui.dialogs.register_import_dialog import RegisterImportDialog
    from survey_app.ui.ops import Ops

    with tempfile.TemporaryDirectory() as tmp:
        home, did = demo_home(Path(tmp), buildings=300)
        ops = Ops(home, actor="デモ")
        try:
            export = ExportDialog(ops, did)
            export.select_kind("fdma", "xlsx")
            export.out_path = Path(tmp) / "報告" / "被害状況即報_20260415.xlsx"
            export.show()
            export.start()
            shots.wait(lambda: not export.running and export.result is not None)
            shots.save(export, "export_dialog.png")
            csv_path = Path(tmp) / "家屋課税台帳_宮園.csv"
            csv_path.write_text(REGISTER, encoding="cp932")
            dialog = RegisterImportDialog(ops, did)
            dialog.show()
            dialog.load_file(csv_path)
            shots.wait(lambda: bool(dialog.header))
            dialog.start_import()
            shots.wait(lambda: dialog.report is not None)
            shots.save(dialog, "register_import.png")
        finally:
            close_ops(shots, ops)
    return 0


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
