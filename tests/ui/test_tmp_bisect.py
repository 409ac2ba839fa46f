from __future__ import annotations

from PySide6.QtCore import Qt

from survey_app.services.workspace import Workspace
from tests.office.office_data import apply
from tests.ui.conftest import type_text
from tests.ui.test_office_dialogs import TIMEOUT, office, open_application_dialog, save_and_wait  # noqa: F401


def _prep(app_home, disaster):
    ws = Workspace(app_home, actor="準備")
    apply(ws, disaster, applicant_name="髙﨑 太郎",
          household_address="石川県輪島市河井町一丁目2番地3号",
          damaged_address="石川県輪島市河井町一丁目2番地3号")
    ws.close()


def test_a_decline_only(qtbot, office, app_home):
    _prep(app_home, office[1])
    dialog = open_application_dialog(qtbot, office)
    dialog.confirm = lambda warnings: False
    type_text(qtbot, dialog.name_edit, "高崎 太郎")
    type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    save_and_wait(qtbot, dialog)


def test_b_accept_only(qtbot, office, app_home):
    _prep(app_home, office[1])
    dialog = open_application_dialog(qtbot, office)
    dialog.confirm = lambda warnings: True
    type_text(qtbot, dialog.name_edit, "高崎 太郎")
    type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_c_decline_then_accept(qtbot, office, app_home):
    _prep(app_home, office[1])
    dialog = open_application_dialog(qtbot, office)
    dialog.confirm = lambda warnings: False
    type_text(qtbot, dialog.name_edit, "高崎 太郎")
    type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    save_and_wait(qtbot, dialog)
    dialog.confirm = lambda warnings: True
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_d_twice_accept(qtbot, office, app_home):
    dialog = open_application_dialog(qtbot, office)
    dialog.confirm = lambda warnings: True
    for _ in range(2):
        type_text(qtbot, dialog.name_edit, "高崎 太郎")
        type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")
        qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_e_with_check_ws(qtbot, office, app_home, check_ws):
    _prep(app_home, office[1])
    dialog = open_application_dialog(qtbot, office)
    dialog.confirm = lambda warnings: False
    type_text(qtbot, dialog.name_edit, "高崎 太郎")
    type_text(qtbot, dialog.household_edit, "輪島市河井町1-2-3")
    qtbot.mouseClick(dialog.same_checkbox, Qt.MouseButton.LeftButton)
    save_and_wait(qtbot, dialog)
    assert len(list(check_ws().store.db.query("SELECT id FROM applications"))) == 1
    dialog.confirm = lambda warnings: True
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_f_full(qtbot, office, app_home, check_ws):
    from tests.ui.test_office_dialogs import test_a_possible_duplicate_is_shown_and_needs_confirming as t
    t(qtbot, office, app_home, check_ws)
