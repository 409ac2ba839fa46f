"""PySide6 6.12 on Python 3.11 spends a reference to None/True on each void call or emit; the
guard keeps the app alive. Without it this test aborts the interpreter."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal

from survey_app.ui import refcount_guard


class _Emitter(QObject):
    fired = Signal()


def test_many_emits_and_void_calls_do_not_abort_python(qapp):
    emitter = _Emitter()
    timer = QTimer()
    received = []
    emitter.fired.connect(lambda: received.append(1))
    for _ in range(50_000):
        emitter.fired.emit()
        timer.setInterval(5)
    assert len(received) == 50_000
    if refcount_guard.needed():
        assert refcount_guard.apply()
        assert sys.getrefcount(None) > 1 << 39
