"""Regenerate docs/screenshots/{office_application,office_batch_print}.png, offscreen.

    .venv/bin/python scripts/office_screenshots.py [OUT_DIR]

Builds a small demo town in a temporary folder, types an application for a home already on
file into the application dialog (so the possible duplicate is shown), and prints a dozen
certificates through the batch print dialog, grabbing each dialog once it shows its result.
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


def _wait(app, done: Callable[[], bool], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the dialog did not finish")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()  # the layout catches up with the last texts set


def _application(app, ops, did: str, on_file: dict, out: Path) -> None:
    from survey_app.ui.office.application_dialog import ApplicationDialog

    dialog = ApplicationDialog(ops, did)
    dialog.confirm = lambda warnings: False  # leave the warning on screen
    dialog.show()
    _wait(app, lambda: dialog.cause_edit.text() != "")
    surname = on_file["applicant_name"].split()[0]
    dialog.name_edit.setText(f"{surname} 健一")
    dialog.kana_edit.setText("けんいち")
    dialog.household_edit.setText(on_file["damaged_address"])
    dialog.same_checkbox.setChecked(True)
    for row, (given, relation, born) in enumerate((("健一", "世帯主", "昭和52年6月3日"),
                                                  ("由美", "妻", "1980-11-21"),
                                                  ("陽向", "子", "平成27年4月9日"))):
        dialog.set_member(row, f"{surname} {given}", relation, born)
    dialog.contact_edit.setText("090-2345-6789（避難先: 町総合体育館）")
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("現地調査"))
    dialog.save()
    _wait(app, lambda: dialog.save_button.isEnabled() and ops.pending == 0)
    dialog.grab().save(str(out))


def _batch(app, ops, did: str, tmp: Path, out: Path) -> None:
    from survey_app.ui.office.batch_print_dialog import BatchPrintDialog

    dialog = BatchPrintDialog(ops, did)
    dialog.show()
    dialog.filter_combo.setCurrentIndex(1)  # すべて
    _wait(app, lambda: ops.pending == 0 and dialog.model.rowCount() > 0)
    dialog.table.selectRow(0)
    for row in range(1, min(12, dialog.model.rowCount())):
        dialog.table.selectionModel().select(
            dialog.model.index(row, 0), dialog.table.selectionModel().SelectionFlag.Select
            | dialog.table.selectionModel().SelectionFlag.Rows)
    dialog.output_path = tmp / "印刷" / "罹災証明書_一括.pdf"
    dialog.print_selected()
    _wait(app, lambda: dialog.last_outcome is not None and ops.pending == 0)
    dialog.grab().save(str(out))


def main(out_dir: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from survey_app.ui.fonts import install_japanese_font
    from survey_app.ui.ops import Ops

    app = QApplication.instance() or QApplication([])
    install_japanese_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        ws = Workspace(home, actor="デモ")
        build_demo(ws, buildings=60, photo_homes=0, seed=2026)
        did = max((d["id"] for d in ws.store.buildings.disasters()), key=ws.store.buildings.count)
        on_file = next(iter(ws.store.db.query(
            "SELECT * FROM applications WHERE disaster_id = ? ORDER BY application_no LIMIT 1",
            [did])))
        ws.close()
        ops = Ops(home, actor="窓口 デモ")
        try:
            _application(app, ops, did, on_file, out_dir / "office_application.png")
            _batch(app, ops, did, Path(tmp), out_dir / "office_batch_print.png")
        finally:
            _wait(app, lambda: ops.pending == 0)
            ops.shutdown()
    print(out_dir / "office_application.png", out_dir / "office_batch_print.png")
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    sys.exit(main(target))
