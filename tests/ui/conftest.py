"""Fixtures for the desktop app tests: a small real store, the ops lanes, the main window.

The tile URL scheme must be registered before pytest-qt creates the QApplication, hence at
import time here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from survey_app.ui import web

web.prepare_before_qapplication()

DISASTER_DATE = "2026-11-01"


def make_store(home: Path, *, homes: int = 30, hazard: str = "earthquake",
               located: bool = True) -> dict:
    """A disaster with `homes` buildings (first surveys), addresses in 仙台市若林区荒井."""
    from survey_app.services.workspace import Workspace

    rng = random.Random(7)
    ws = Workspace(home, actor="テスト")
    store = ws.store
    did = store.buildings.create_disaster(name="テスト地震", hazard=hazard,
                                          occurred_on=DISASTER_DATE, actor="テスト")
    surveys = []
    for i in range(homes):
        extra = {"lat": 38.24 + rng.random() * 0.02, "lon": 140.86 + rng.random() * 0.03} \
            if located else {}
        bid = store.buildings.add(disaster_id=did, address=f"宮城県仙台市若林区荒井{i % 3 + 1}丁目{i + 1}番",
                                  owner_name=f"調査 太郎{i}", owner_kana="チョウサ タロウ",
                                  area=f"荒井{i % 3 + 1}丁目", structure="wood", **extra)
        surveys.append(store.surveys.create(building_id=bid, stage="first", hazard=hazard,
                                            surveyor="佐藤" if i % 2 else "鈴木"))
    ws.close()
    return {"disaster_id": did, "surveys": surveys}


@pytest.fixture
def survey_home(app_home) -> dict:
    return {"home": app_home, **make_store(app_home)}


@pytest.fixture
def ops(survey_home, qtbot):
    from survey_app.ui.ops import Ops

    lanes = Ops(survey_home["home"], actor="テスト")
    yield lanes
    qtbot.waitUntil(lambda: lanes.pending == 0, timeout=20000)
    lanes.shutdown()


def wait_idle(qtbot, ops, timeout: int = 15000) -> None:
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=timeout)


@pytest.fixture
def window(ops, qtbot):
    from survey_app.services.settings import AppSettings
    from survey_app.ui.main_window import MainWindow

    win = MainWindow(ops, AppSettings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.list_model.rowCount() > 0, timeout=15000)
    wait_idle(qtbot, ops)
    return win


def open_survey(qtbot, window, row: int = 0) -> str:
    """Select a row of the list and wait until its form is shown."""
    survey_id = window.list_model.survey_at(row)["id"]
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.survey_panel.session is not None
                    and window.survey_panel.session.survey["id"] == survey_id, timeout=15000)
    wait_idle(qtbot, window.ops)
    return survey_id


@pytest.fixture(autouse=True)
def _delete_closed_widgets(qapp):
    """Run the deferred deletions pytest-qt leaves queued, so no web page outlives the test
    (Qt warns at exit when the shared browser profile goes before its pages)."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def type_text(qtbot, edit, text: str) -> None:
    """Type into a line edit key by key. QTest aborts on non-Latin-1 keys (Japanese comes from
    the input method, which QTest cannot drive), so those characters are inserted one by one,
    which also fires one textChanged per character, as typing does."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(edit, ch)
        else:
            edit.insert(ch)


@pytest.fixture
def check_ws(app_home):
    """A separate connection to the test's store, to check what the app wrote (WAL: it sees
    every committed write) without touching the app's worker connections."""
    from survey_app.services.workspace import Workspace

    opened = []

    def open_ws():
        if not opened:
            opened.append(Workspace(app_home, actor="検査"))
        return opened[0]

    yield open_ws
    for ws in opened:
        ws.close()


@pytest.fixture
def sqlite_server(tmp_path):
    """A real server process on SQLite, for one test."""
    from tests.sync.support import ServerProcess

    server = ServerProcess("sqlite", f"sqlite:///{tmp_path / 'server.db'}",
                           tmp_path / "data").start()
    yield server
    server.stop()


DEGREE_COLUMN = {0: 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def type_in_cell(qtbot, grid, row: int, degree, text: str) -> None:
    """Go to a cell and type, the way a surveyor does: the cell opens for typing at once,
    Enter commits."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit

    grid.setFocus()
    grid.setCurrentCell(row, DEGREE_COLUMN[degree])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and grid.isAncestorOf(editor), "the cell should be open"
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Return through a queued call: let the event loop run it.
    qtbot.waitUntil(lambda: grid.item(row, DEGREE_COLUMN[degree]).text() == text, timeout=3000)
