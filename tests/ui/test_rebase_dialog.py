"""他の端末の変更を取り込む, driven in the real window: a survey whose draft was overtaken by a
pulled version is opened (or fails to complete), the surveyor takes the other side's changes
in, chooses per field in the dialog by keyboard, and the form shows the merged values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton

from survey_app.services import fieldwork as fw
from survey_app.services import fieldwork_rebase as rb
from survey_app.services.workspace import Workspace
from tests.services.test_fieldwork_rebase import ROOF_V, pull_version
from tests.ui.conftest import wait_idle

INCLINE = {"offsets_cm": [1, 2, 1, 0], "plumb_cm": 120}
OURS_ROOF = {"roof": {"degrees": [{"degree": "V", "area_percent": 50}]}}
THEIR_ROOF = {"roof": {"degrees": [{"degree": "IV", "area_percent": 100}]}}


def _stale(home, survey_id: str, *, conflicting: bool) -> tuple[str, str]:
    """v1 synced, a draft on v1, then v2 from another device pulled; returns (v1, v2)."""
    ws = Workspace(home, actor="鈴木")
    try:
        ws.sid = survey_id
        obs = {**fw.open_for_editing(ws, survey_id).observations, "components": ROOF_V}
        v1 = pull_version(ws, obs, author="鈴木")
        ours = {**obs, "remarks": "自分の備考"}
        theirs = {**obs, "inclination": INCLINE}
        if conflicting:
            ours["components"], theirs["components"] = OURS_ROOF, THEIR_ROOF
            theirs["remarks"] = "事務所の備考"
        fw.save_draft(ws, survey_id, ours)
        return v1, pull_version(ws, theirs)
    finally:
        ws.close()


@pytest.fixture
def stale_clean(survey_home):
    sid = survey_home["surveys"][0]
    return sid, *_stale(survey_home["home"], sid, conflicting=False)


@pytest.fixture
def stale_conflicting(survey_home):
    sid = survey_home["surveys"][0]
    return sid, *_stale(survey_home["home"], sid, conflicting=True)


def open_by_id(qtbot, window, survey_id: str) -> None:
    qtbot.waitUntil(lambda: window.list_model.row_of(survey_id) is not None, timeout=10000)
    window.table.selectRow(window.list_model.row_of(survey_id))
    qtbot.waitUntil(lambda: window.survey_panel.session is not None
                    and window.survey_panel.session.survey["id"] == survey_id, timeout=15000)
    wait_idle(qtbot, window.ops)


def _complete(qtbot, panel) -> None:
    with qtbot.waitSignal(panel.completed, timeout=15000):
        qtbot.mouseClick(panel.complete_btn, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel.ops)


def test_opening_a_stale_draft_offers_the_merge_and_a_clean_one_reloads_the_form(
        stale_clean, window, qtbot, check_ws):
    sid, v1, v2 = stale_clean
    open_by_id(qtbot, window, sid)
    panel = window.survey_panel
    assert panel.session.stale and panel.rebase_btn.isVisible()
    assert "他の端末" in panel.message_label.text()
    assert panel.rebase_btn.text() == "他の端末の変更を取り込む"

    qtbot.mouseClick(panel.rebase_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.session.stale, timeout=15000)
    wait_idle(qtbot, window.ops)

    assert not panel.rebase_btn.isVisible() and panel.message_label.text() == ""
    notice = panel.notice_label.text()
    assert "取り込みました（2 項目）" in notice
    assert "「水平距離①〜④（四隅）」" in notice and "「下げ振りの長さ」" in notice
    assert panel.form.fields["inclination.offsets_cm"].value() == [1, 2, 1, 0]
    assert panel.form.fields["remarks"].value() == "自分の備考"
    assert check_ws().store.surveys.draft(sid)["base_version_id"] == v2

    _complete(qtbot, panel)
    head = check_ws().store.surveys.get(sid)["head_version_id"]
    version = check_ws().store.surveys.version(head)
    assert version["base_version_id"] == v2 and head not in (v1, v2)
    assert version["observations"]["inclination"] == INCLINE
    assert version["observations"]["remarks"] == "自分の備考"


def test_conflicts_are_chosen_in_the_dialog_by_keyboard(stale_conflicting, window, qtbot,
                                                         check_ws):
    sid, v1, v2 = stale_conflicting
    open_by_id(qtbot, window, sid)
    panel = window.survey_panel
    qtbot.mouseClick(panel.rebase_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.rebase_flow.dialog is not None
                    and panel.rebase_flow.dialog.isVisible(), timeout=15000)
    dialog = panel.rebase_flow.dialog
    assert check_ws().store.surveys.draft(sid)["base_version_id"] == v1  # nothing yet

    texts = {path: [b.text() for b in g.buttons()] for path, g in dialog.groups.items()}
    assert texts == {"components.roof.degrees": ["程度Ⅴ 50%", "程度Ⅳ 100%"],
                     "remarks": ["自分の備考", "事務所の備考"]}
    grid_text = " ".join(w.text() for w in dialog.findChildren(type(dialog.status_label)))
    assert "屋根：損傷程度・面積率" in grid_text and "備考" in grid_text
    assert "程度Ⅴ 100%" in grid_text and "（未入力）" in grid_text  # the values before
    assert not dialog.apply_button.isEnabled()

    # Keyboard only: the first field has focus; → moves to 他の端末の値 and Space picks it,
    # Tab goes to the next field, Space keeps 自分の値 there, Enter applies.
    first = QApplication.focusWidget()
    assert isinstance(first, QRadioButton) and first is dialog.groups[
        "components.roof.degrees"].button(0)
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert dialog.choices() == {}  # moving is not choosing
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialog.choices() == {"components.roof.degrees": "theirs"}
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.groups["remarks"].button(0)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialog.choices() == {"components.roof.degrees": "theirs", "remarks": "ours"}
    assert dialog.apply_button.isEnabled() and "すべての項目を選びました" in \
        dialog.status_label.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: not panel.session.stale, timeout=15000)
    wait_idle(qtbot, window.ops)
    assert panel.form.grid.value() == THEIR_ROOF
    assert panel.form.fields["remarks"].value() == "自分の備考"
    assert panel.form.fields["inclination.offsets_cm"].value() == [1, 2, 1, 0]
    notice = panel.notice_label.text()
    assert "「屋根：損傷程度・面積率」" in notice
    assert "自分の値を残した項目: 「備考」" in notice
    [kept] = rb.kept_drafts(check_ws(), sid)
    assert kept["observations"]["remarks"] == "自分の備考"
    assert kept["observations"]["components"] == OURS_ROOF


def test_cancelling_the_dialog_leaves_the_draft_as_it_was(stale_conflicting, window, qtbot,
                                                         check_ws):
    sid, v1, _ = stale_conflicting
    open_by_id(qtbot, window, sid)
    panel = window.survey_panel
    before = check_ws().store.surveys.draft(sid)
    qtbot.mouseClick(panel.rebase_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.rebase_flow.dialog is not None
                    and panel.rebase_flow.dialog.isVisible(), timeout=15000)
    qtbot.keyClick(panel.rebase_flow.dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "中止" in panel.message_label.text(), timeout=5000)
    assert panel.form.isEnabled() and panel.rebase_btn.isEnabled()
    assert check_ws().store.surveys.draft(sid) == before


def test_a_pull_while_the_form_is_open_is_caught_at_completion(survey_home, window, qtbot,
                                                               check_ws):
    sid = survey_home["surveys"][0]
    open_by_id(qtbot, window, sid)
    panel = window.survey_panel
    assert not panel.rebase_btn.isVisible()
    panel.form.grid.set_value(ROOF_V)
    panel.form.fields["remarks"].set_value("自分の備考")
    panel.save_draft_now()
    wait_idle(qtbot, window.ops)
    ws = check_ws()
    ws.sid = sid
    theirs = {**panel.session.observations, "appearance": {"storey_collapse": True}}
    v1 = pull_version(ws, theirs)  # the office completed it; this laptop's sync pulled it

    qtbot.mouseClick(panel.complete_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "他の端末の変更を取り込む" in panel.message_label.text(),
                    timeout=15000)
    assert panel.rebase_btn.isVisible()
    assert check_ws().store.surveys.get(sid)["head_version_id"] == v1

    qtbot.mouseClick(panel.rebase_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.session is not None and not panel.session.stale
                    and panel.session.from_draft, timeout=15000)
    wait_idle(qtbot, window.ops)
    assert "一見して住家の一部の階が全部倒壊" in panel.notice_label.text()
    assert panel.form.fields["appearance.storey_collapse"].value() is True
    assert panel.form.fields["remarks"].value() == "自分の備考"
    _complete(qtbot, panel)
    head = check_ws().store.surveys.get(sid)["head_version_id"]
    assert check_ws().store.surveys.version(head)["base_version_id"] == v1
