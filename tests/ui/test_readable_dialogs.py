"""The office reads conflicts and earlier versions as the survey form names them: no internal
paths, no raw JSON unless asked for, every cut-off cell whole in its tooltip, a close button."""

from __future__ import annotations

import re

from survey_app.rules import default_rulebook
from survey_app.services import fieldwork as fw
from survey_app.services.judging import judge_record
from survey_app.services.workspace import Workspace
from survey_app.ui.ops import Ops
from tests.sync.fieldwork import Laptop, add_users
from tests.sync.support import new_tenant

INTERNAL = re.compile(r"observations\.|judgement\.|[{}\[\]\"]|_code|exterior_wall")


def first_survey(wall_degree: str, share: int) -> dict:
    """A 1st survey of a wooden house as the form records it (disaster of 2024-01-01)."""
    return {"hazard": "earthquake", "stage": "first", "structure": "wood",
            "disaster_date": "2024-01-01",
            "inclination": {"offsets_cm": [1, 1, 1, 1], "plumb_cm": 120},
            "components": {"roof": {"degrees": [{"degree": "III", "area_percent": 50}]},
                           "exterior_wall": {"degrees": [{"degree": wall_degree,
                                                          "area_percent": share}]},
                           "foundation": {"damaged_length_m": 5, "perimeter_m": 30}}}


def _real_conflict(tmp_path, server) -> str:
    """佐藤 and 鈴木 both change the same wall of the same home; the office syncs the conflict.
    Returns the office laptop's folder."""
    tenant = new_tenant(server)
    add_users(tenant, {"office": "office", "sato": "surveyor", "suzuki": "surveyor"})
    laps = {n: Laptop(tmp_path, tenant, n) for n in ("office", "sato", "suzuki")}
    office, sato, suzuki = laps["office"], laps["sato"], laps["suzuki"]
    _, survey = office.assign(office.disaster(), "輪島市河井町2-1",
                              f"{sato.username}, {suzuki.username}")
    assert office.sync().agreed and sato.sync().agreed
    base = first_survey("II", 60)
    sato.complete(survey, base, judge_record(default_rulebook(), base))
    assert sato.sync().agreed and suzuki.sync().agreed
    for lap, degree in ((sato, "IV"), (suzuki, "V")):
        obs = first_survey(degree, 60)
        lap.complete(survey, obs, judge_record(default_rulebook(), obs))
    assert sato.sync().agreed and suzuki.sync().agreed and office.sync().agreed
    for lap in laps.values():
        lap.close()
    return office.ws.home


def test_the_conflicts_dialog_reads_like_the_survey_form(qtbot, tmp_path, sqlite_server):
    from survey_app.ui.dialogs.conflicts_dialog import ConflictsDialog
    from survey_app.ui.sync_controller import SyncController

    home = _real_conflict(tmp_path, sqlite_server)
    ops = Ops(home, actor="office")
    dialog = ConflictsDialog(SyncController(home), ops)
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: dialog.table.rowCount() > 1, timeout=20000)
        table = dialog.table
        cells = {(r, c): table.item(r, c) for r in range(table.rowCount())
                 for c in range(table.columnCount()) if table.item(r, c) is not None}
        texts = [item.text() for item in cells.values()]
        assert [t for t in texts if INTERNAL.search(t)] == []  # no paths, no JSON
        assert all(item.toolTip().startswith(item.text()) for item in cells.values())
        fields = {table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 3).text())
                  for r in range(table.rowCount())}
        assert set(fields["外壁：損傷程度・面積率"]) == {"程度Ⅳ 60%", "程度Ⅴ 60%"}
        assert set(fields["被害の程度"]) <= {"全壊", "大規模半壊", "中規模半壊", "半壊", "準半壊"}
        assert "損害割合" in fields and all(v.endswith("%") for v in fields["損害割合"])
        assert "被害の程度（表記）" not in fields  # the grade's name is already there
        place = table.item(0, 0)
        assert "輪島市河井町2-1" in place.text() and "sato" in place.text()
        assert table.rowSpan(0, 0) == table.rowCount()  # one home, one place cell
        assert "（" in table.item(0, 2).toolTip()  # whose version the value came from

        table.selectRow(table.rowCount() - 1)  # a choice covers all of the home's fields
        selected = {i.row() for i in table.selectionModel().selectedRows()}
        assert selected == set(range(table.rowCount()))
        assert dialog.current_conflict() is dialog.conflicts[0]
        assert "すべての項目" in dialog.hint_label.text()

        assert dialog.close_button.text() == "閉じる"
        dialog.close_button.click()
        assert not dialog.isVisible()
    finally:
        qtbot.waitUntil(lambda: ops.pending == 0, timeout=20000)
        ops.shutdown()


def _complete(home, survey_id: str, wall: str, share: int) -> None:
    ws = Workspace(home, actor="佐藤")
    try:
        session = fw.open_for_editing(ws, survey_id)
        obs = {**session.observations, "inclination": {"offsets_cm": [1, 1.5, 0.5, 1]},
               "components": {"exterior_wall": {"degrees": [{"degree": wall,
                                                             "area_percent": share}]}},
               "remarks": "北側の外壁に亀裂"}
        fw.complete_survey(ws, session, obs)
    finally:
        ws.close()


def test_the_versions_dialog_shows_labelled_input_and_json_on_request(qtbot, survey_home, ops):
    from survey_app.ui.dialogs.versions_dialog import VersionsDialog

    survey_id = survey_home["surveys"][0]
    _complete(survey_home["home"], survey_id, "V", 100)
    _complete(survey_home["home"], survey_id, "III", 50)
    dialog = VersionsDialog(ops, survey_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.version_list.count() == 2, timeout=15000)
    text = dialog.detail.toPlainText()
    assert "【部位による判定】" in text and "外壁：損傷程度・面積率: 程度Ⅲ 50%" in text
    assert "水平距離①〜④（四隅）: 1・1.5・0.5・1 cm" in text and "備考: 北側の外壁に亀裂" in text
    assert "災害の種類: 地震" in text and "調査の段階: 第1次調査" in text
    assert "exterior_wall" not in text and "{" not in text
    assert not dialog.raw_checkbox.isChecked()

    dialog.raw_checkbox.setChecked(True)  # the record as stored, for comparing with exports
    raw = dialog.detail.toPlainText()
    assert '"exterior_wall"' in raw and '"area_percent": 50' in raw
    dialog.version_list.setCurrentRow(1)  # the toggle stays for the other version
    assert '"degree": "V"' in dialog.detail.toPlainText()
    dialog.raw_checkbox.setChecked(False)
    assert "程度Ⅴ 100%" in dialog.detail.toPlainText()
    assert dialog.buttons.buttons()[0].text() == "閉じる"
