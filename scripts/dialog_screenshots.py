"""Regenerate docs/screenshots/{export_dialog,register_import,rebase_dialog}.png, offscreen.

    .venv/bin/python scripts/dialog_screenshots.py [OUT_DIR] [--lang ja|en]

Builds the demo town in a temporary folder, runs a real export (the FDMA report as XLSX) and a
real register import (a small 家屋課税台帳 extract with one broken row) through the dialogs and
grabs them once they show their results. Then a surveyor's draft falls behind: the office's
version of the same survey arrives the way a sync pull writes it, both changed three of the same
fields, and the merge (他の端末の変更を取り込む) asks about them in the rebase dialog.
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
        rebase_dialog(shots, Path(tmp) / "rebase")
    return 0


def arrive(ws, survey_id: str, observations: dict, author: str) -> str:
    """A version made on another device, applied as a sync pull applies it (one guarded page:
    the version, then the survey's new head); returns its id."""
    from survey_app.services.judging import judge_record
    from survey_app.services.sync.apply import apply_changes, guarded, settle_heads
    from survey_app.store.canonical import canonical, judged_tuple, version_content_hash
    from survey_app.store.ids import new_id, now_iso

    store = ws.store
    survey = store.surveys.get(survey_id)
    judgement = judge_record(ws.rulebook, observations)
    vid = new_id()
    version = {"id": vid, "survey_id": survey_id, "base_version_id": survey["head_version_id"],
               "observations": observations, "judgement": judgement,
               "explanation": judgement["explanation"], "form_hash": "", "author": author,
               "reason": "", "created_at": now_iso(),
               "content_hash": version_content_hash(canonical(observations),
                                                    judged_tuple(judgement))}
    head = {**{k: survey[k] for k in ("id", "building_id", "disaster_id", "stage", "hazard",
                                        "surveyor", "previous_survey_id", "created_at")},
            "status": "completed", "head_version_id": vid}
    with guarded(store):
        touched = apply_changes(store, [
            {"rev": 1, "entity": "version", "id": vid, "op": "put", "data": version},
            {"rev": 2, "entity": "survey", "id": survey_id, "op": "put", "data": head}])
        settle_heads(store, touched)
    return vid


def roof_and_wall(roof: list[tuple[str, int]], wall: int) -> dict:
    return {"roof": {"degrees": [{"degree": d, "area_percent": a} for d, a in roof]},
            "exterior_wall": {"degrees": [{"degree": "III", "area_percent": wall}]}}


def rebase_dialog(shots: Shots, home: Path) -> None:
    """佐藤's draft and the office's version both changed the roof, the inclination and the
    remarks (the office also entered the floor area, which merges by itself)."""
    from survey_app.services import fieldwork as fw
    from survey_app.services import fieldwork_rebase as rb
    from survey_app.services.workspace import Workspace
    from survey_app.ui.dialogs.rebase_dialog import RebaseDialog

    ws = Workspace(home, actor="sato")
    try:
        store = ws.store
        did = store.buildings.create_disaster(name="令和8年4月16日の地震（本震）",
                                              hazard="earthquake", occurred_on="2026-04-16",
                                              actor="本部")
        bid = store.buildings.add(disaster_id=did, address="熊本県上益城郡益城町宮園1丁目2番",
                                  owner_name="宮園 一郎", owner_kana="ミヤゾノ イチロウ",
                                  area="宮園", structure="wood")
        sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                   surveyor="sato")
        first = fw.open_for_editing(ws, sid).observations
        arrive(ws, sid, {**first, "components": roof_and_wall([("IV", 100)], 50),
                         "inclination": {"offsets_cm": [1.4, 1.5, 1.6, 1.2], "plumb_cm": 120}},
               author="sato")
        session = fw.open_for_editing(ws, sid)  # 佐藤 reopens it and goes on
        synced = session.observations
        fw.save_draft(ws, sid, {**synced, "components": roof_and_wall([("III", 40), ("V", 20)], 50),
                                "inclination": {"offsets_cm": [2, 3, 2, 1], "plumb_cm": 120},
                                "remarks": "北側外壁のひび割れを追加で確認。二階窓ガラス2枚破損。"},
                      base_version_id=session.base_version_id)
        arrive(ws, sid, {**synced, "components": roof_and_wall([("IV", 60)], 50),
                         "inclination": {"offsets_cm": [4, 3, 2, 1], "plumb_cm": 120},
                         "remarks": "申請者立会いで再確認（事務所）。",
                         "floor_area": {"lost_m2": 12, "total_m2": 98}}, author="office")
        outcome = rb.rebase_draft(ws, sid)
        assert outcome.status == "conflicts", outcome.status
        dialog = RebaseDialog(outcome, session.form)
        dialog.show()
        dialog.choose(outcome.conflicts[0].path, "theirs")  # one chosen, two still to go
        shots.save(dialog, "rebase_dialog.png")
        dialog.close()
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main(output_dir(sys.argv[1:], __doc__)))
