"""PySide6 6.12.0 on Python 3.11 drops a reference to None/True on every void call and emit,
and the interpreter aborts after a few thousand ("deallocating True or False"). pyproject pins
PySide6 below 6.12; this test fails if an upgrade brings the bug back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal


class _Emitter(QObject):
    fired = Signal()


def test_emits_and_void_calls_keep_singleton_refcounts(qapp):
    emitter = _Emitter()
    timer = QTimer()
    received = []
    emitter.fired.connect(lambda: received.append(1))
    before = (sys.getrefcount(None), sys.getrefcount(True))
    for _ in range(2_000):
        emitter.fired.emit()
        timer.setInterval(5)
    after = (sys.getrefcount(None), sys.getrefcount(True))
    assert len(received) == 2_000
    # A healthy binding leaves both counts where they were (give or take a few references).
    assert abs(after[0] - before[0]) < 100 and abs(after[1] - before[1]) < 100
