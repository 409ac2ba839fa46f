"""The counter dialog drives the office services on the ops lanes (offscreen Qt)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from survey_app.services.workspace import Workspace  # noqa: E402
from survey_app.store.certificates import CertificateRegister  # noqa: E402
from tests.office.office_data import apply, judged_building, new_disaster  # noqa: E402


@pytest.fixture
def counter(app_home, qtbot):
    from survey_app.ui.office.certificate_dialog import CertificateDialog
    from survey_app.ui.ops import Ops

    ws = Workspace(app_home, actor="窓口")
    disaster = new_disaster(ws)
    judged_building(ws, disaster, "石川県輪島市河井町1-2-3", grade="chukibo")
    apply(ws, disaster, applicant_name="髙﨑 太郎", applicant_kana="たかさき たろう",
          damaged_address="石川県輪島市河井町1-2-3")
    apply(ws, disaster, applicant_name="鈴木 花子", household_address="輪島市鳳至町5-6",
          damaged_address="輪島市鳳至町5-6")
    ws.close()
    ops = Ops(app_home, actor="窓口 Qt")
    dialog = CertificateDialog(ops, disaster)
    qtbot.addWidget(dialog)
    yield dialog, disaster
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=20000)
    ops.shutdown()


def search(qtbot, dialog, text: str) -> None:
    dialog.search.setText(text)
    dialog.run_search()
    qtbot.waitUntil(lambda: "見つかりました" in dialog.status.text(), timeout=15000)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=15000)


def test_search_issue_reissue_and_void_from_the_dialog(counter, qtbot, app_home):
    dialog, disaster = counter
    search(qtbot, dialog, "高崎")
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "髙﨑 太郎"
    assert dialog.buttons["issue"].isEnabled() and not dialog.buttons["void"].isEnabled()
    dialog.buttons["issue"].click()
    qtbot.waitUntil(lambda: dialog.info is not None and dialog.info["valid"] is not None,
                    timeout=20000)
    assert "第1号" in dialog.status.text() and dialog.table.item(0, 3).text() == "第1号"
    assert "中規模半壊" in dialog.detail.toPlainText()
    assert dialog.buttons["reissue"].isEnabled() and not dialog.buttons["issue"].isEnabled()
    dialog.ask_text = lambda label, default: "紛失"
    dialog.buttons["reissue"].click()
    qtbot.waitUntil(lambda: dialog.info["valid"]["number"] == 2, timeout=20000)
    dialog.ask_text = lambda label, default: "誤交付"
    dialog.buttons["void"].click()
    qtbot.waitUntil(lambda: dialog.info["valid"] is None, timeout=20000)
    ws = Workspace(app_home)
    states = [(e["number"], e["validity"], e["issued_by"])
              for e in CertificateRegister(ws.store).entries(disaster)]
    ws.close()
    assert states == [(1, "superseded", "窓口 Qt"), (2, "voided", "窓口 Qt")]


def test_refusal_is_shown_in_japanese(counter, qtbot):
    dialog, _ = counter
    search(qtbot, dialog, "鈴木")
    dialog.buttons["issue"].click()  # no survey judged this home
    qtbot.waitUntil(lambda: "被害の程度が判定されていない" in dialog.status.text(), timeout=20000)
    dialog.buttons["hisai"].click()
    qtbot.waitUntil(lambda: "第1号" in dialog.status.text(), timeout=20000)


def test_a_cancelled_reason_does_nothing(counter, qtbot):
    dialog, _ = counter
    search(qtbot, dialog, "たかさき")
    dialog.buttons["issue"].click()
    qtbot.waitUntil(lambda: dialog.info is not None and dialog.info["valid"] is not None,
                    timeout=20000)
    dialog.ask_text = lambda label, default: None
    before = dialog.status.text()
    dialog.buttons["void"].click()
    assert dialog.status.text() == before  # no write was started


def _second_survey_judged(home, survey_id: str) -> None:
    """The assigned surveyor completes the 2nd survey on the same store (as after a sync):
    every component at 程度Ⅳ over 60 % is 大規模半壊 under the rules in force."""
    from survey_app.services import fieldwork as fw

    ws = Workspace(home, actor="鈴木")
    try:
        session = fw.open_for_editing(ws, survey_id)
        degrees = {"degrees": [{"degree": "IV", "area_percent": 60}]}
        components = {code: degrees for code in ("roof", "columns", "floors", "exterior_wall",
                                                 "interior_wall", "ceilings", "fittings",
                                                 "services")}
        components["foundation"] = {"damaged_length_m": 10, "perimeter_m": 30}
        fw.complete_survey(ws, session, {**session.observations, "components": components,
                                         "inclination": {"offsets_cm": [1, 1, 1, 1]}})
    finally:
        ws.close()
    assert Workspace(home).store.surveys.get(survey_id)["grade_code"] == "daikibo"


def _request_through_the_form(qtbot, dialog) -> dict:
    """Fill the real 再調査申請 form the way a clerk does; returns what the form showed.
    (Checked after the callback: an assert raised inside a Qt callback aborts the process.)"""
    from survey_app.ui.office.resurvey_dialog import ResurveyRequestDialog

    seen: dict = {}

    def fill(form: dict) -> dict | None:
        request_form = ResurveyRequestDialog(form, dialog)
        qtbot.addWidget(request_form)
        combo = request_form.surveyor_combo
        seen["offered"] = [combo.itemText(i) for i in range(combo.count())]
        seen["about"] = request_form.about_label.text()
        seen["empty"] = request_form.values()  # no reason yet
        seen["error"] = request_form.error_label.text()
        request_form.reason_edit.setPlainText("内部の損傷が調査されていない")
        combo.setEditText("鈴木")
        return request_form.values()

    dialog.ask_resurvey = fill
    dialog.buttons["resurvey"].click()
    qtbot.waitUntil(lambda: "offered" in seen, timeout=20000)
    return seen


def test_the_whole_resurvey_chain_is_finished_in_the_dialog(counter, qtbot, app_home):
    from pypdf import PdfReader

    dialog, disaster = counter
    search(qtbot, dialog, "高崎")
    dialog.buttons["issue"].click()
    qtbot.waitUntil(lambda: dialog.info is not None and dialog.info["valid"] is not None,
                    timeout=20000)
    first = dialog.info["valid"]
    assert "第1次調査" in dialog.plan_label.text() and "中規模半壊" in dialog.plan_label.text()

    seen = _request_through_the_form(qtbot, dialog)  # 1st survey → 再調査申請, to 鈴木
    assert seen["offered"] == ["佐藤"] and "第2次調査を作成" in seen["about"]
    assert seen["empty"] is None and "理由を入力" in seen["error"]
    qtbot.waitUntil(lambda: "申請ID" in dialog.status.text(), timeout=20000)
    qtbot.waitUntil(lambda: dialog.info["open_request"] is not None, timeout=20000)
    request = dialog.info["open_request"]
    assert request["id"] in dialog.status.text() and "鈴木" in dialog.status.text()
    history = dialog.detail.toPlainText()
    assert request["id"] in history and "受付済み（調査待ち）" in history
    assert "第2次調査（担当: 鈴木）" in history
    assert not dialog.buttons["resurvey"].isEnabled()  # one open request at a time
    warning = dialog.plan_label.text()
    assert "まだ判定されていません" in warning and "中規模半壊" in warning

    asked = []
    dialog.ask_text = lambda label, default: asked.append(label)  # the clerk cancels
    dialog.buttons["reissue"].click()
    qtbot.waitUntil(lambda: bool(asked), timeout=20000)
    assert "まだ判定されていません" in asked[0] and "中規模半壊" in asked[0]

    _second_survey_judged(app_home, request["new_survey_id"])  # 2nd survey completed
    dialog.run_search(announce=False)
    qtbot.waitUntil(lambda: "大規模半壊" in dialog.plan_label.text(), timeout=20000)
    assert "第2次調査" in dialog.plan_label.text() and request["id"] in dialog.plan_label.text()
    assert "まだ判定されていません" not in dialog.plan_label.text()
    assert "判定済み（再交付待ち）" in dialog.detail.toPlainText()

    defaults = []
    dialog.ask_text = lambda label, default: defaults.append(default) or default
    dialog.buttons["reissue"].click()
    qtbot.waitUntil(lambda: dialog.info["valid"]["number"] == 2, timeout=30000)
    assert defaults == ["再調査の結果による"] and "大規模半壊" in dialog.status.text()
    assert "再交付済み" in dialog.detail.toPlainText()

    ws = Workspace(app_home)  # read back what was recorded and printed
    try:
        second = CertificateRegister(ws.store).get(dialog.info["valid"]["id"])
        closed = ws.store.db.execute("SELECT status, reissued_certificate_id FROM"
                                     " resurvey_requests WHERE id = ?", [request["id"]]).fetchone()
        old_validity = CertificateRegister(ws.store).get(first["id"])["validity"]
    finally:
        ws.close()
    assert (second["grade_code"], second["grade"]) == ("daikibo", "大規模半壊")
    assert second["survey_id"] == request["new_survey_id"] and second["previous_id"] == first["id"]
    assert tuple(closed) == ("reissued", second["id"]) and old_validity == "superseded"
    text = "".join(PdfReader(second["pdf_path"]).pages[0].extract_text().split())
    assert "■大規模半壊" in text and "□中規模半壊" in text
    assert "第1号の証明書に代えて再交付" in text and "再調査の結果による" in text


def test_a_grade_that_changes_after_it_was_shown_is_not_printed(counter, qtbot, app_home):
    dialog, _ = counter
    search(qtbot, dialog, "高崎")
    dialog.buttons["issue"].click()
    qtbot.waitUntil(lambda: dialog.info is not None and dialog.info["valid"] is not None,
                    timeout=20000)
    dialog.ask_resurvey = lambda form: {"reason": "不服", "surveyor": "鈴木",
                                        "requested_on": form["today"]}
    dialog.buttons["resurvey"].click()
    qtbot.waitUntil(lambda: dialog.info["open_request"] is not None, timeout=20000)
    new_survey = dialog.info["open_request"]["new_survey_id"]

    def completes_while_asking(label: str, default: str) -> str:
        _second_survey_judged(app_home, new_survey)  # after the clerk read the plan
        return "紛失"

    dialog.ask_text = completes_while_asking
    dialog.buttons["reissue"].click()
    qtbot.waitUntil(lambda: "確認した後に変わりました" in dialog.status.text(), timeout=20000)
    assert "大規模半壊" in dialog.status.text()
    ws = Workspace(app_home)
    try:
        numbers = [e["number"] for e in CertificateRegister(ws.store).entries(
            dialog.disaster_id)]
    finally:
        ws.close()
    assert numbers == [1]  # nothing was reissued with the grade the clerk was not shown
