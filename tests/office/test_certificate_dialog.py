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
    dialog.ask_text = lambda label: "紛失"
    dialog.buttons["reissue"].click()
    qtbot.waitUntil(lambda: dialog.info["valid"]["number"] == 2, timeout=20000)
    dialog.ask_text = lambda label: "誤交付"
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
    dialog.ask_text = lambda label: None
    before = dialog.status.text()
    dialog.buttons["void"].click()
    assert dialog.status.text() == before  # no write was started
