"""The export dialog and the register import dialog, driven offscreen on a small demo town:
the files they write are read back, a cancelled export leaves nothing behind, an import with a
broken row shows its line, a second import changes nothing, and the mapping is remembered."""

from __future__ import annotations

import ast
import csv
import errno
import json
import string
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from survey_app.i18n import catalogue, tr
from survey_app.services.demo import build_demo
from survey_app.services.errors import user_message
from survey_app.services.exporting import FORMATS, ExportError
from survey_app.services.register_mapping import FIELDS, KINDS
from survey_app.services.workspace import Workspace
from survey_app.ui.dialogs.export_dialog import ExportDialog, error_text
from survey_app.ui.dialogs.register_import_dialog import RegisterImportDialog
from tests.ui.conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]
DIALOGS = [ROOT / "survey_app/ui/dialogs/export_dialog.py",
           ROOT / "survey_app/ui/dialogs/register_import_dialog.py"]
AREA = "exports.ui_dialogs."


@pytest.fixture
def town(app_home) -> dict:
    """The demo town with 60 buildings: 48 in the earthquake, 12 in the flood."""
    ws = Workspace(app_home, actor="テスト")
    try:
        build_demo(ws, buildings=60, photo_homes=0, seed=5)
        did = max((d["id"] for d in ws.store.buildings.disasters()), key=ws.store.buildings.count)
        return {"home": app_home, "disaster_id": did}
    finally:
        ws.close()


@pytest.fixture
def lanes(town, qtbot):
    from survey_app.ui.ops import Ops

    ops = Ops(town["home"], actor="テスト")
    yield ops
    wait_idle(qtbot, ops, timeout=20000)
    ops.shutdown()


@pytest.fixture
def check(town):
    ws = Workspace(town["home"], actor="検査")
    yield ws
    ws.close()


def _export(qtbot, dialog: ExportDialog, kind: str, out: Path, fmt: str | None = None) -> None:
    dialog.select_kind(kind, fmt)
    dialog.out_path = out
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start_btn.click()


def _judged(ws: Workspace, did: str) -> int:
    return ws.store.db.execute(
        "SELECT count(DISTINCT b.id) FROM buildings b JOIN surveys s ON s.building_id = b.id"
        " WHERE b.disaster_id = ? AND s.head_version_id IS NOT NULL", [did]).fetchone()[0]


# -- exports -----------------------------------------------------------------------------------

def test_geojson_export_through_the_dialog(qtbot, lanes, town, check, tmp_path):
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    out = tmp_path / "out" / "grades.geojson"
    _export(qtbot, dialog, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    judged = _judged(check, town["disaster_id"])
    assert 0 < judged < 48      # the demo leaves some homes unsurveyed: a real filter
    assert data["type"] == "FeatureCollection" and len(data["features"]) == judged
    assert dialog.result.count == judged and dialog.result.path == out
    assert str(out) in dialog.message_label.text() and str(judged) in dialog.message_label.text()
    assert sorted(p.name for p in out.parent.iterdir()) == ["grades.geojson"]
    opened = []
    dialog.open_url = opened.append
    dialog.open_folder_btn.click()
    assert [u.toLocalFile() for u in opened] == [str(out.parent)]


def test_csv_export_through_the_dialog(qtbot, lanes, town, check, tmp_path):
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    out = tmp_path / "buildings.csv"
    _export(qtbot, dialog, "csv", out, "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == check.store.buildings.count(town["disaster_id"]) == 48
    assert {r["建物ID"] for r in rows} == {
        r["id"] for r in check.store.db["buildings"].rows_where(
            "disaster_id = ?", [town["disaster_id"]])}


def test_the_format_follows_the_kind_and_the_file_name(qtbot, lanes, town, tmp_path):
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    dialog.select_kind("fdma")
    assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] \
        == list(FORMATS["fdma"]) and dialog.format_combo.isEnabled()
    dialog.choose_path(tmp_path / "report.pdf")
    assert dialog.fmt == "pdf"
    dialog.select_kind("geojson")
    assert dialog.out_path == tmp_path / "report.geojson" and not dialog.format_combo.isEnabled()
    dialog.choose_path(tmp_path / "no-extension")
    assert dialog.out_path == tmp_path / "no-extension.geojson"


@pytest.mark.parametrize("when", ["first", "last"])
def test_a_cancelled_export_leaves_no_file(qtbot, lanes, town, tmp_path, when):
    """Cancel from inside the worker's progress report: at the first one (before the file is
    opened) or at the last one (after the exporter has renamed its own part file)."""
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    dialog.select_kind("csv", "csv")
    out = tmp_path / "exports" / "buildings.csv"   # tmp_path also holds the store
    dialog.out_path = out
    reports = []

    def on_report(done: int, total: int) -> None:    # runs on the worker (direct connection)
        reports.append((done, total))
        if when == "first" or (done == total and done > 0):
            dialog.progress.cancel()

    dialog.progress.changed.connect(on_report, Qt.ConnectionType.DirectConnection)
    dialog.start_btn.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert reports and (len(reports) == 1) == (when == "first")
    assert dialog.result is None
    assert dialog.message_label.text() == tr("exports.ui_dialogs.cancelled")
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
    assert dialog.start_btn.isEnabled()


def test_a_cancelled_export_keeps_the_older_file(qtbot, lanes, town, tmp_path):
    out = tmp_path / "exports" / "grades.geojson"
    out.parent.mkdir()
    out.write_text("older", encoding="utf-8")
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    dialog.select_kind("geojson")
    dialog.out_path = out
    dialog.progress.changed.connect(lambda *_: dialog.progress.cancel(),
                                    Qt.ConnectionType.DirectConnection)
    dialog.start_btn.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    assert out.read_text(encoding="utf-8") == "older"
    assert [p.name for p in out.parent.iterdir()] == ["grades.geojson"]


def test_a_failed_export_says_why_in_japanese(qtbot, lanes, town, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    dialog = ExportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    dialog.select_kind("csv", "csv")
    dialog.out_path = blocker / "buildings.csv"       # its folder is a file
    dialog.start_btn.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    text = dialog.message_label.text()
    assert text.startswith("書き出せませんでした: ファイルに書き込めません")
    assert dialog.result is None and dialog.start_btn.isEnabled()


def test_a_full_disk_is_named_as_such():
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as err:
            raise ExportError("書き込めません") from err
    except ExportError as wrapped:
        assert error_text(wrapped) == user_message(wrapped) == tr("errors.disk_full")
    assert error_text(ExportError("フォントが見つかりません")) == "フォントが見つかりません"


# -- register imports --------------------------------------------------------------------------

# 物件所在 is no usual header name for the address: the user must map it in the dialog.
REGISTER = ("家屋番号,物件所在,所有者氏名,構造,階数\r\n"
            "K-001,熊本県益城町宮園9-1,試験 一郎,木造,2\r\n"
            "K-002,熊本県益城町宮園9-2,試験 二郎,木造,三階\r\n"
            "K-003,熊本県益城町宮園9-3,試験 三郎,鉄骨造,3\r\n"
            "K-004,熊本県益城町宮園9-4,試験 四郎,木造,1\r\n")


def _load(qtbot, dialog: RegisterImportDialog, kind: str, path: Path) -> None:
    dialog.select_kind(kind)
    with qtbot.waitSignal(dialog.previewed, timeout=20000):
        dialog.load_file(path)


def _import(qtbot, dialog: RegisterImportDialog):
    with qtbot.waitSignal(dialog.imported, timeout=20000) as blocker:
        dialog.import_btn.click()
    return blocker.args[0]


def _register_rows(ws: Workspace) -> int:
    return ws.store.db["register_buildings"].count


def _first_import(qtbot, lanes, town, path: Path) -> RegisterImportDialog:
    """Load the register, map its address column by hand (no usual name) and import it."""
    path.write_text(REGISTER, encoding="utf-8")
    dialog = RegisterImportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    _load(qtbot, dialog, "buildings", path)
    assert dialog.mapping()["kaoku_no"] == "家屋番号"         # suggested from the header
    assert dialog.mapping()["address"] == ""                  # not guessable
    address = dialog.mapping_combos["address"]
    address.setCurrentIndex(address.findData("物件所在"))
    _import(qtbot, dialog)
    return dialog


def test_import_shows_the_bad_line_and_imports_the_good_rows(qtbot, lanes, town, check,
                                                             tmp_path):
    before = check.store.buildings.count(town["disaster_id"])
    dialog = _first_import(qtbot, lanes, town, tmp_path / "kaoku.csv")
    assert dialog.preview_table.columnCount() == 5 and dialog.preview_table.rowCount() == 4
    assert dialog.preview_table.verticalHeaderItem(1).text() == "3"
    assert dialog.preview_table.item(0, 1).text() == "熊本県益城町宮園9-1"
    assert dialog.report.added == 3 and [b.line for b in dialog.report.bad] == [3]
    assert dialog.bad_table.rowCount() == 1
    assert dialog.bad_table.item(0, 0).text() == "3"
    assert "階数" in dialog.bad_table.item(0, 1).text()
    assert tr("exports.ui_dialogs.nothing_changed") not in dialog.summary_label.text()
    assert check.store.buildings.count(town["disaster_id"]) == before + 3
    addresses = {r["address"] for r in check.store.db["buildings"].rows_where(
        "disaster_id = ?", [town["disaster_id"]])}
    assert {"熊本県益城町宮園9-1", "熊本県益城町宮園9-3", "熊本県益城町宮園9-4"} <= addresses
    assert "熊本県益城町宮園9-2" not in addresses


def test_the_mapping_is_remembered_and_a_second_import_changes_nothing(qtbot, lanes, town,
                                                                       check, tmp_path):
    path = tmp_path / "kaoku.csv"
    first = _first_import(qtbot, lanes, town, path)
    buildings, rows = check.store.buildings.count(town["disaster_id"]), _register_rows(check)
    again = RegisterImportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(again)
    _load(qtbot, again, "buildings", path)
    assert again.mapping()["address"] == "物件所在"
    assert again.mapping() == first.mapping()
    second = _import(qtbot, again)
    assert not second.changed and second.added == second.updated == 0
    assert second.unchanged == 3 and [b.line for b in second.bad] == [3]
    assert tr("exports.ui_dialogs.nothing_changed") in again.summary_label.text()
    assert again.bad_table.item(0, 0).text() == "3"
    assert check.store.buildings.count(town["disaster_id"]) == buildings
    assert _register_rows(check) == rows


def test_an_import_without_the_required_column_says_which(qtbot, lanes, town, check, tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(REGISTER, encoding="utf-8")
    before = check.store.buildings.count(town["disaster_id"])
    dialog = RegisterImportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    _load(qtbot, dialog, "buildings", path)
    dialog.import_btn.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    wait_idle(qtbot, lanes)
    assert dialog.report is None
    assert "必須の項目に列が対応付けられていません: 所在地" in dialog.summary_label.text()
    assert check.store.buildings.count(town["disaster_id"]) == before


def test_residents_offer_their_own_fields(qtbot, lanes, town, tmp_path):
    path = tmp_path / "juki.csv"
    path.write_text("氏名,住所,生年月日\r\n益城 花子,熊本県益城町宮園9-1,昭和50年1月2日\r\n",
                    encoding="cp932")
    dialog = RegisterImportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    _load(qtbot, dialog, "residents", path)
    assert list(dialog.mapping()) == [f.key for f in FIELDS["residents"]]
    assert {k: v for k, v in dialog.mapping().items() if v} == {
        "name": "氏名", "address": "住所", "birth_date": "生年月日"}
    assert dialog.preview_table.item(0, 0).text() == "益城 花子"   # Shift_JIS read as such


def test_an_unreadable_file_is_reported_plainly(qtbot, lanes, town, tmp_path):
    dialog = RegisterImportDialog(lanes, town["disaster_id"])
    qtbot.addWidget(dialog)
    dialog.load_file(tmp_path / "missing.csv")
    wait_idle(qtbot, lanes)
    assert dialog.summary_label.text() == tr("exports.import.file_missing",
                                             path=tmp_path / "missing.csv")
    assert not dialog.import_btn.isEnabled()


# -- messages ----------------------------------------------------------------------------------

def _keys_used() -> set[str]:
    keys = set()
    for path in DIALOGS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_dialog_message_exists_in_both_languages():
    families = ([f"{AREA}{p}_{k}" for k in FORMATS for p in ("kind", "about", "file", "count")]
                + [f"{AREA}fmt_{f}" for fs in FORMATS.values() for f in fs]
                + [f"{AREA}register_{k}" for k in KINDS]
                + [f"{AREA}field.{k}.{f.key}" for k in KINDS for f in FIELDS[k]])
    ja, en = catalogue("ja"), catalogue("en")
    assert sorted(k for k in [*_keys_used(), *families] if k not in ja or k not in en) == []
    ours_ja = {k: v for k, v in ja.items() if k.startswith(AREA)}
    ours_en = {k: v for k, v in en.items() if k.startswith(AREA)}
    assert set(ours_ja) == set(ours_en)
    assert {k: _fields(v) for k, v in ours_ja.items()} == {k: _fields(v) for k, v in ours_en.items()}


def test_the_dialogs_speak_english_when_asked(qtbot, lanes, town, english):
    import re

    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTableWidget

    japanese = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
    for dialog in (ExportDialog(lanes, town["disaster_id"]),
                   RegisterImportDialog(lanes, town["disaster_id"])):
        qtbot.addWidget(dialog)
        texts = [dialog.windowTitle()]
        for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton):
            texts.append(w.text())
        for combo in dialog.findChildren(QComboBox):
            texts += [combo.itemText(i) for i in range(combo.count())]
        for table in dialog.findChildren(QTableWidget):
            texts += [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
            texts += [table.item(r, 0).text() for r in range(table.rowCount())]
        assert [t for t in texts if japanese.search(t)] == []
