"""Sync in the background: a thread that syncs now and then, at once when asked (`trigger`),
and after a failure waits with exponential back-off before it tries again. It never blocks
the caller; results and progress arrive through callbacks on the sync thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from survey_app.i18n import tr
from survey_app.services.sync.engine import SyncEngine, SyncReport
from survey_app.sync.http import Backoff

_RETRYABLE = {"network", "server_busy", "db_unavailable", "unexpected"}
log = logging.getLogger("survey_app.sync")


class BackgroundSync:
    def __init__(self, make_engine: Callable[[], SyncEngine], *, interval: float = 120.0,
                 on_result: Callable[[SyncReport], None] | None = None,
                 backoff: Backoff | None = None) -> None:
        self._make_engine = make_engine
        self.interval = interval
        self.on_result = on_result
        self.backoff = backoff or Backoff(base=2.0, cap=300.0)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.engine: SyncEngine | None = None
        self.failures = 0
        self.last: SyncReport | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="survey-sync", daemon=True)
            self._thread.start()

    def trigger(self) -> None:
        """Sync as soon as possible (the 同期 button, or the network coming back)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def next_delay(self, report: SyncReport) -> float:
        if report.ok:
            self.failures = 0
            return self.interval
        self.failures += 1
        if report.error_code in _RETRYABLE:
            return self.backoff.delay(self.failures - 1)
        return self.interval  # a wrong password or a bad reply: retrying soon will not help

    def _sync(self) -> SyncReport:
        try:
            return self.engine.sync_once()
        except Exception as err:  # the thread must live on: report it and try again later
            log.exception("sync failed unexpectedly")
            return SyncReport(ok=False, agreed=False, error=tr("sync.unexpected",
                                                               kind=type(err).__name__),
                              error_code="unexpected")

    def _run(self) -> None:
        self.engine = self._make_engine()
        try:
            while not self._stop.is_set():
                self._wake.clear()
                report = self._sync()
                self.last = report
                if self.on_result:
                    self.on_result(report)
                self._wake.wait(self.next_delay(report))
        finally:
            self.engine.close()
