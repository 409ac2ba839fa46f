"""Regenerate docs/screenshots/office_setup_*.png, offscreen: the empty window offering
災害の登録, the window of a disaster whose homes have no survey yet, and the 災害の登録 /
住家の追加 / 調査の作成と割り当て dialogs (before and after a run).

    .venv/bin/python scripts/office_setup_screenshots.py [OUT_DIR] [--lang ja|en]

The dialogs run on the demo town in a temporary folder, with a few homes from a register
extract that have no survey yet, so the task dialog has something to create and assign.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from shots import Shots, close_ops, demo_home, output_dir

REGISTER = ("家屋番号,所在地,所有者氏名,所有者カナ,地区\r\n"
            "301-1,熊本県上益城郡益城町宮園3丁目1番,宮園 一郎,ミヤゾノ イチロウ,宮園\r\n"
            "301-2,熊本県上益城郡益城町宮園3丁目2番,宮園 花子,ミヤゾノ ハナコ,宮園\r\n"
            "301-3,熊本県上益城郡益城町宮園3丁目3番,木山 健,キヤマ ケン,宮園\r\n"
            "302-1,熊本県上益城郡益城町木山2丁目1番,安永 進,ヤスナガ ススム,木山\r\n")


def empty_window(shots: Shots, folder: Path) -> None:
    from survey_app.services.settings import AppSettings
    from survey_app.ui.main_window import MainWindow
    from survey_app.ui.ops import Ops

    ops = Ops(folder / "empty", actor="本部")
    window = MainWindow(ops, AppSettings())
    try:
        window.resize(1200, 700)
        window.show()
        shots.wait(lambda: window.admin.panel.isVisible())
        shots.save(window, "office_setup_empty.png")
        did = new_disaster(folder / "empty")
        add_register_homes(folder / "empty", did, folder / "家屋課税台帳.csv")
        window.load_disasters()
        shots.wait(lambda: window.admin.panel.tasks_btn.isVisible()
                   and window.admin.panel.tasks_btn.isEnabled())
        shots.save(window, "office_setup_no_surveys.png")
    finally:
        window.close()
        close_ops(shots, ops)


def new_disaster(home: Path) -> str:
    from survey_app.services.office_setup import create_disaster
    from survey_app.services.workspace import Workspace

    ws = Workspace(home, actor="本部")
    try:
        return create_disaster(ws, name="令和8年4月16日の地震（本震）", hazard="earthquake",
                               occurred_on="2026-04-16", municipality_code_text="434434",
                               municipality_name="益城町")
    finally:
        ws.close()


def add_register_homes(home: Path, did: str, csv_path: Path) -> None:
    from survey_app.services.registers import import_register
    from survey_app.services.workspace import Workspace

    csv_path.write_text(REGISTER, encoding="utf-8")
    ws = Workspace(home, actor="本部")
    try:
        import_register(ws, "buildings", csv_path, disaster_id=did)
    finally:
        ws.close()


def disaster_dialog(shots: Shots, ops) -> None:
    from survey_app.ui.dialogs.disaster_dialog import DisasterDialog

    disaster = DisasterDialog(ops)
    disaster.show()
    shots.wait(lambda: bool(disaster.code_edit.text()))  # offered from the last disaster
    disaster.name_edit.setText("令和8年4月16日の地震（本震）")
    shots.save(disaster, "office_setup_disaster.png")
    disaster.close()


def home_dialog(shots: Shots, ops, did: str) -> None:
    from survey_app.ui.dialogs.home_dialog import HomeDialog

    home = HomeDialog(ops, did)
    home.show()
    shots.wait(lambda: home.area_combo.count() > 0)
    home.address_edit.setText("熊本県上益城郡益城町宮園３丁目１番")
    home.area_combo.setEditText("宮園")
    home.owner_edit.setText("宮園 次郎")
    home.kana_edit.setText("みやぞの じろう")
    home.floors_spin.setValue(2)
    home.lat_edit.setText("32.7921")
    home.lon_edit.setText("130.8155")
    home.surveyor_combo.setEditText("sato")
    home.add()  # the register has this address: the dialog asks before adding it twice
    shots.wait(lambda: home.allow_duplicate)
    shots.save(home, "office_setup_home.png")
    home.close()


def tasks_dialog(shots: Shots, ops, did: str) -> None:
    from survey_app.ui.dialogs.tasks_dialog import TasksDialog

    tasks = TasksDialog(ops, did)
    tasks.show()
    shots.wait(lambda: tasks.area_list.count() > 0)
    tasks.check_areas(["宮園"])
    tasks.surveyor_combo.setEditText("sato")
    shots.wait(lambda: tasks.run_btn.isEnabled())
    shots.save(tasks, "office_setup_tasks.png")
    tasks.run()
    shots.wait(lambda: tasks.report is not None and tasks.forecast is not None)
    shots.save(tasks, "office_setup_tasks_done.png")
    tasks.close()


def main(out_dir: Path) -> int:
    shots = Shots(out_dir, web=True)
    from survey_app.ui.ops import Ops

    with tempfile.TemporaryDirectory() as tmp:
        empty_window(shots, Path(tmp))
        home, did = demo_home(Path(tmp), buildings=300)
        add_register_homes(home, did, Path(tmp) / "家屋課税台帳_追加.csv")
        ops = Ops(home, actor="本部")
        try:
            disaster_dialog(shots, ops)
            home_dialog(shots, ops, did)
            tasks_dialog(shots, ops, did)
        finally:
            close_ops(shots, ops)
    return 0


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
