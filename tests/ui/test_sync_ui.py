"""The field app syncs with a real server process: the dialog signs in, the sync runs in the
background, and each survey's sync state shows in the list."""

from __future__ import annotations

from survey_app.services.demo import build_demo
from survey_app.services.settings import AppSettings
from survey_app.services.workspace import Workspace
from survey_app.ui.dialogs.sync_dialog import SyncDialog
from survey_app.ui.main_window import MainWindow
from survey_app.ui.ops import Ops
from survey_app.ui.widgets.survey_list import COLUMNS
from tests.sync.fieldwork import add_users
from tests.sync.support import new_tenant


def test_sync_from_the_dialog_marks_surveys_synced(qtbot, tmp_path, sqlite_server):
    tenant = new_tenant(sqlite_server)
    add_users(tenant, {"office": "office"})
    home = tmp_path / "laptop"
    ws = Workspace(home, actor="t")
    build_demo(ws, buildings=15, photo_homes=1, seed=4)
    ws.close()
    ops = Ops(home, actor="t")
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.list_model.rowCount() > 0, timeout=20000)
    sync_col = COLUMNS.index("sync")
    assert window.list_model.data(window.list_model.index(0, sync_col)) != "同期済"

    dialog = SyncDialog(window.sync, window.settings, parent=window)
    dialog.server_edit.setText(sqlite_server.url)
    dialog.user_edit.setText(tenant.user("office"))
    dialog.password_edit.setText("pw-office-123")
    with qtbot.waitSignal(window.sync.finished, timeout=120000) as done:
        dialog.sync_button.click()
    report = done.args[0]
    assert report.ok, report.message
    assert dialog.password_edit.text() == ""  # never kept in the form
    assert window.settings.sync_server == sqlite_server.url
    qtbot.waitUntil(lambda: window.list_model.rowCount() > 0 and all(
        window.list_model.data(window.list_model.index(r, sync_col)) in ("同期済", "下書き")
        for r in range(window.list_model.rowCount())), timeout=20000)
    assert "同期" in window.sync_label.text()
    window.sync.stop()
    ops.shutdown()


def test_the_office_resolves_a_conflict_in_the_app(qtbot, tmp_path, sqlite_server):
    from survey_app.ui.dialogs.conflicts_dialog import ConflictsDialog
    from tests.sync.fieldwork import Laptop

    tenant = new_tenant(sqlite_server)
    add_users(tenant, {"office": "office", "sato": "surveyor", "suzuki": "surveyor"})
    laps = {n: Laptop(tmp_path, tenant, n) for n in ("office", "sato", "suzuki")}
    office, sato, suzuki = laps["office"], laps["sato"], laps["suzuki"]
    disaster = office.disaster()
    _, survey = office.assign(disaster, "輪島市河井町2-1", f"{sato.username}, {suzuki.username}")
    base = {"外壁": {"損傷率": 30}}
    for lap in (office, sato):
        assert lap.sync().agreed
    sato.complete(survey, base)
    assert sato.sync().agreed and suzuki.sync().agreed
    sato.complete(survey, {"外壁": {"損傷率": 40}})
    suzuki.complete(survey, {"外壁": {"損傷率": 50}})
    assert sato.sync().agreed and suzuki.sync().agreed
    office.close()  # the office now works in the app, on the same folder

    ops = Ops(tmp_path / "office", actor=office.username)
    window = MainWindow(ops, AppSettings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sync.finished, timeout=60000):
        window.sync.start(sqlite_server.url, office.username, "pw-office-123")
    dialog = ConflictsDialog(window.sync, ops, parent=window)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=20000)
    assert "外壁" in dialog.table.item(0, 1).text()
    assert {dialog.table.item(0, 2).text(), dialog.table.item(0, 3).text()} == {"40", "50"}
    dialog.reason_edit.setText("現地で再確認")
    dialog.theirs_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=60000)
    assert sato.sync().agreed
    assert sato.observations(survey)["外壁"] == {"損傷率": 50}
    window.sync.stop()
    ops.shutdown()
    for lap in (sato, suzuki):
        lap.close()
