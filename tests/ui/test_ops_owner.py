"""The ops lanes never let a worker hold a dialog: a parentless dialog whose last reference a
worker dropped would be deleted off the GUI thread (a rare crash seen in the dialog tests)."""

from __future__ import annotations

import threading
import weakref

from PySide6.QtWidgets import QDialog

from survey_app.ui.ops import Ops


def test_a_finished_future_keeps_no_callback_or_owner(qtbot, tmp_path):
    ops = Ops(tmp_path)
    try:
        dialog = QDialog()
        titles = []
        finalized_in = []
        weakref.finalize(dialog, lambda: finalized_in.append(threading.current_thread().name))
        go = threading.Event()      # the op finishes after its callbacks are registered
        future = ops.files(lambda: go.wait(10) and "done",
                           success=lambda r, d=dialog: titles.append(r), owner=dialog)
        go.set()
        qtbot.waitUntil(lambda: ops.pending == 0, timeout=10000)
        assert titles == ["done"] and future.done()
        del dialog      # the future is still referenced here, as a worker's would be
        assert finalized_in == ["MainThread"]
    finally:
        ops.shutdown()
