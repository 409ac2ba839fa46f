"""The counter's application dialog and the batch print dialog, driven offscreen on a real
store through the ops lanes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from survey_app.services.office_applications import application_flags
from survey_app.services.office_issuing import allocate
from survey_app.services.workspace import Workspace
from survey_app.store.certificates import CertificateRegister
from tests.office.office_data import CAUSE, apply, judged_building, many_judged, new_disaster
from tests.ui.conftest import type_text, wait_idle

TIMEOUT = 30000


@pytest.fixture
def office(app_home, qtbot):
    """A disaster in a fresh store and the app's lanes on it; yields (ops, disaster_id)."""
    from survey_app.ui.ops import Ops

    ws = Workspace(app_home, actor="準備")
    disaster = new_disaster(ws)
    ws.close()
    lanes = Ops(app_home, actor="窓口 Qt")
    yield lanes, disaster
    qtbot.waitUntil(lambda: lanes.pending == 0, timeout=TIMEOUT)
    lanes.shutdown()


def applications(check_ws, disaster: str) -> list[dict]:
    return list(check_ws().store.db.query(
        "SELECT id FROM applications WHERE disaster_id = ? ORDER BY application_no",
        [disaster]))


# -- the application dialog ------------------------------------------------------------------

def open_application_dialog(qtbot, office):
    from survey_app.ui.office.application_dialog import ApplicationDialog

    ops, disaster = office
    dialog = ApplicationDialog(ops, disaster)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.cause_edit.text() != "", timeout=TIMEOUT)
    return dialog


def save_and_wait(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog.ops, TIMEOUT)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=TIMEOUT)


def test_typing_an_application_and_saving_stores_it(qtbot, office, check_ws):
    dialog = open_application_dialog(qtbot, office)
    assert dialog.cause_edit.text() == CAUSE  # prefilled from the disaster
    type_text(qtbot, dialog.name_edit, "髙﨑 太郎")
    type_text(qtbot, dialog.kana_edit, "たかさき たろう")
    type_text(qtbot, dialog.household_edit, "石川県輪島市河井町1-2-3")
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    assert dialog.damaged_edit.text() == "石川県輪島市河井町1-2-3"
    dialog.set_member(0, "髙﨑 太郎", "世帯主", "昭和35年4月1日")
    dialog.set_member(1, "髙﨑 花子", "妻", "1962-05-02")
    type_text(qtbot, dialog.contact_edit, "090-1234-5678")
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findText("写真による判定"))
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT) as signal:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    row = check_ws().store.applications.get(signal.args[0])
    assert row["applicant_name"] == "髙﨑 太郎" and row["applicant_kana"] == "タカサキ タロウ"
    assert row["damaged_address"] == row["household_address"] == "石川県輪島市河井町1-2-3"
    assert row["members"] == [
        {"name": "髙﨑 太郎", "relation": "世帯主", "birth_date": "1960-04-01"},
        {"name": "髙﨑 花子", "relation": "妻", "birth_date": "1962-05-02"}]
    assert row["requested_method"] == "写真による判定" and row["cause"] == CAUSE
    assert row["contact"] == "090-1234-5678"
    assert row["application_no"] in dialog.message_label.text()
    assert dialog.name_edit.text() == "" and dialog.cause_edit.text() == CAUSE  # next one


def test_a_missing_field_is_named_next_to_it_and_nothing_is_stored(qtbot, office, check_ws):
    dialog = open_application_dialog(qtbot, office)
    type_text(qtbot, dialog.household_edit, "石川県輪島市河井町1-2-3")
    type_text(qtbot, dialog.damaged_edit, "石川県輪島市河井町1-2-3")
    dialog.set_member(0, "", "妻", "昭和99年13月1日")
    save_and_wait(qtbot, dialog)
    name_error = dialog.errors["applicant_name"]
    assert name_error.isVisible() and "世帯主氏名" in name_error.text()
    assert "1 人目の氏名" in dialog.errors["members"].text()
    assert "生年月日" in dialog.errors["members"].text()
    assert not dialog.errors["household_address"].isVisible()
    assert "3 件" in dialog.message_label.text()
    assert applications(check_ws, office[1]) == []
    # Fixing the field clears its message and saves.
    type_text(qtbot, dialog.name_edit, "山田 花子")
    dialog.set_member(0, "山田 花子", "世帯主", "")
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not name_error.isVisible()
    assert len(applications(check_ws, office[1])) == 1


def test_a_possible_duplicate_is_shown_and_needs_confirming(qtbot, office, app_home, check_ws):
    _, disaster = office
    ws = Workspace(app_home, actor="準備")
    first = apply(ws, disaster, applicant_name="髙﨑 太郎",
                  household_address="石川県輪島市河井町一丁目2番地3号",
                  damaged_address="石川県輪島市河井町一丁目2番地3号")
    first_no = ws.store.applications.get(first)["application_no"]
    ws.close()
    dialog = open_application_dialog(qtbot, office)
    asked: list[list[str]] = []
    dialog.confirm = lambda warnings: asked.append(warnings) or False
    type_text(qtbot, dialog.name_edit, "高崎 太郎")  # the same name, plainer kanji
    type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")  # the same home, written short
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    save_and_wait(qtbot, dialog)
    assert len(asked) == 1 and any(first_no in w for w in asked[0])
    assert first_no in dialog.message_label.text()
    assert [r["id"] for r in applications(check_ws, disaster)] == [first]  # declined: not saved
    dialog.confirm = lambda warnings: True
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT) as signal:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    flags = application_flags(check_ws(), signal.args[0])
    assert {(f["flag"], f["related_application_id"]) for f in flags} == {
        ("same_home", first), ("same_household", first)}


# -- the batch print dialog ------------------------------------------------------------------

@pytest.fixture
def waiting(office, app_home):
    """30 judged applications with numbers given but no PDF yet (as after the demo)."""
    _, disaster = office
    ws = Workspace(app_home, actor="準備")
    for app_id in many_judged(ws, disaster, 30):
        allocate(ws, app_id)
    ws.close()
    return disaster


def open_batch_dialog(qtbot, office, rows: int):
    from survey_app.ui.office.batch_print_dialog import BatchPrintDialog

    ops, disaster = office
    dialog = BatchPrintDialog(ops, disaster)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == rows, timeout=TIMEOUT)
    return dialog


def run_and_wait(qtbot, dialog, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_outcome is not None, timeout=60000)
    wait_idle(qtbot, dialog.ops, TIMEOUT)


def register_states(check_ws, disaster: str) -> dict[str, int]:
    entries = CertificateRegister(check_ws().store).entries(disaster)
    out: dict[str, int] = {}
    for e in entries:
        out[e["print_status"]] = out.get(e["print_status"], 0) + 1
    return out


def test_thirty_certificates_print_into_one_pdf(qtbot, office, waiting, tmp_path, check_ws):
    dialog = open_batch_dialog(qtbot, office, 30)
    qtbot.mouseClick(dialog.select_all_button, Qt.MouseButton.LeftButton)
    assert len(dialog.selected_ids()) == 30 and "30" in dialog.count_label.text()
    dialog.output_path = tmp_path / "batch.pdf"
    run_and_wait(qtbot, dialog, dialog.print_button)
    assert len(PdfReader(tmp_path / "batch.pdf").pages) == 30
    assert dialog.last_outcome.printed == 30 and not dialog.last_outcome.cancelled
    assert "30" in dialog.message_label.text() and str(tmp_path) in dialog.message_label.text()
    assert dialog.progress_bar.value() == 30 and dialog.open_folder_button.isEnabled()
    assert dialog.last_folder == tmp_path
    assert register_states(check_ws, waiting) == {"printed": 30}
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=TIMEOUT)  # none waiting
    dialog.filter_combo.setCurrentIndex(1)  # すべて
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 30, timeout=TIMEOUT)


def cancel_after(dialog, pages: int):
    """Press cancel as the `pages`-th page is reported, on the worker itself, so the test
    does not depend on how fast the GUI thread sees the progress. Returns the connection."""
    def on_progress(done: int, total: int) -> None:
        if done >= pages:
            dialog.progress.cancel()

    return dialog.progress.changed.connect(on_progress, Qt.ConnectionType.DirectConnection)


def test_cancel_mid_batch_leaves_the_rest_waiting(qtbot, office, waiting, tmp_path, check_ws):
    dialog = open_batch_dialog(qtbot, office, 30)
    dialog.table.selectAll()
    qtbot.mouseClick(dialog.per_household_radio, Qt.MouseButton.LeftButton)
    dialog.output_path = tmp_path / "households"
    connection = cancel_after(dialog, 10)
    run_and_wait(qtbot, dialog, dialog.print_button)
    dialog.progress.changed.disconnect(connection)
    outcome = dialog.last_outcome
    assert outcome.cancelled and outcome.printed == 10
    assert sorted(p.name for p in (tmp_path / "households").glob("*.pdf")) == sorted(
        p.name for p in outcome.files)
    assert register_states(check_ws, waiting) == {"printed": 10, "allocated": 20}
    printed = CertificateRegister(check_ws().store).entries(waiting, print_status="printed")
    assert all(Path(e["pdf_path"]).exists() for e in printed)
    assert "10" in dialog.message_label.text()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 20, timeout=TIMEOUT)
    # The rest prints later, into one file.
    qtbot.mouseClick(dialog.single_radio, Qt.MouseButton.LeftButton)
    dialog.table.selectAll()
    dialog.output_path = tmp_path / "rest.pdf"
    run_and_wait(qtbot, dialog, dialog.print_button)
    assert len(PdfReader(tmp_path / "rest.pdf").pages) == 20
    assert register_states(check_ws, waiting) == {"printed": 30}


def test_cancelling_a_one_file_batch_prints_nothing(qtbot, office, waiting, tmp_path,
                                                    check_ws):
    dialog = open_batch_dialog(qtbot, office, 30)
    dialog.table.selectAll()
    dialog.output_path = tmp_path / "batch.pdf"
    cancel_after(dialog, 5)
    run_and_wait(qtbot, dialog, dialog.print_button)
    assert dialog.last_outcome.cancelled and dialog.last_outcome.printed == 0
    assert not (tmp_path / "batch.pdf").exists()
    assert register_states(check_ws, waiting) == {"allocated": 30}


def test_issue_to_every_judged_application(qtbot, office, app_home, tmp_path, check_ws):
    _, disaster = office
    ws = Workspace(app_home, actor="準備")
    many_judged(ws, disaster, 12)
    judged_building(ws, disaster, "石川県輪島市鳳至町5-6", grade=None)  # surveyed, not judged
    apply(ws, disaster, applicant_name="鈴木 花子", damaged_address="石川県輪島市鳳至町5-6")
    ws.close()
    dialog = open_batch_dialog(qtbot, office, 0)
    questions: list[str] = []
    dialog.confirm = lambda q: questions.append(q) or True
    dialog.output_path = tmp_path / "issued.pdf"
    run_and_wait(qtbot, dialog, dialog.issue_button)
    batch = dialog.last_outcome
    assert len(questions) == 1
    assert len(batch.issued) == 12 and len(batch.skipped) == 1
    assert len(PdfReader(tmp_path / "issued.pdf").pages) == 12
    assert register_states(check_ws, disaster) == {"printed": 12}
    assert "12" in dialog.message_label.text()
