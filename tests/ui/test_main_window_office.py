"""The main window reaches the office's work: the dashboard tab and the certificate dialog."""

from __future__ import annotations

from survey_app.services.demo import build_demo
from survey_app.services.settings import AppSettings
from survey_app.services.workspace import Workspace
from survey_app.ui.main_window import MainWindow
from survey_app.ui.ops import Ops


def test_dashboard_tab_shows_the_demo_backlog(qtbot, tmp_path):
    ws = Workspace(tmp_path, actor="t")
    build_demo(ws, buildings=80, photo_homes=0, seed=5)
    ws.close()
    ops = Ops(tmp_path, actor="t")
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.disaster_id is not None, timeout=20000)
    window.tabs.setCurrentWidget(window.dashboard_tab)
    qtbot.waitUntil(lambda: "進み具合" in window.dashboard_tab.heading.text(), timeout=20000)
    assert window.dashboard_tab.charts  # the figures were drawn
    assert window.certificates_action.text() == "罹災証明書の交付…"
    ops.shutdown()


def test_every_office_and_report_dialog_opens_for_the_disaster(qtbot, tmp_path):
    from survey_app.ui.main_window import _dialog_class

    ws = Workspace(tmp_path, actor="t")
    build_demo(ws, buildings=30, photo_homes=0, seed=2)
    ws.close()
    ops = Ops(tmp_path, actor="t")
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.disaster_id is not None, timeout=20000)
    for name in ("application", "certificates", "batch_print", "export", "import_register"):
        dialog = _dialog_class(name)(ops, window.disaster_id, parent=window)
        dialog.show()
        assert dialog.isVisible() and dialog.windowTitle(), name
        dialog.reject()
    ops.shutdown()
