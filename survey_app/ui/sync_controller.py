"""Background sync for the window: a BackgroundSync on its own thread (with its own
Workspace, so the app's lanes are never blocked), its progress and results turned into Qt
signals, which Qt delivers on the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from survey_app.i18n import tr

if TYPE_CHECKING:  # the sync package (HTTP client) loads when sync starts, not at app start
    from survey_app.services.sync import BackgroundSync, SyncEngine, SyncProgress, SyncReport


class SyncController(QObject):
    progress = Signal(object)  # SyncProgress
    finished = Signal(object)  # SyncReport

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.runner: BackgroundSync | None = None
        self.last: SyncReport | None = None
        self.make_engine = None  # the signed-in engine factory, for the office's conflict work
        self.finished.connect(self._remember)

    @property
    def running(self) -> bool:
        return self.runner is not None

    def start(self, server: str, username: str, password: str, *, interval: float = 120.0,
              actor: str = "") -> None:
        """Sign in and sync now, then every `interval` seconds while the app is open."""
        from survey_app.services.sync import BackgroundSync, SyncEngine
        from survey_app.services.workspace import Workspace

        self.stop()

        def make_engine() -> SyncEngine:
            ws = Workspace(self.home, actor=actor or username)
            return SyncEngine(ws, server, username=username, password=password,
                              on_progress=self.progress.emit)

        self.make_engine = make_engine
        self.runner = BackgroundSync(make_engine, interval=interval,
                                     on_result=self.finished.emit)
        self.runner.start()

    def sync_now(self) -> None:
        if self.runner is not None:
            self.runner.trigger()

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()
            self.runner = None

    def _remember(self, report: SyncReport) -> None:
        self.last = report


def progress_text(p: SyncProgress) -> str:
    """One status-line text: the phase, then records, photos and bytes when known."""
    parts = [p.phase_label]
    if p.records_total:
        parts.append(tr("ui.sync.records", done=p.records_done, total=p.records_total))
    if p.photos_total:
        parts.append(tr("ui.sync.photos", done=p.photos_done, total=p.photos_total,
                        mb=f"{p.bytes_done / 1e6:.1f}", total_mb=f"{p.bytes_total / 1e6:.1f}"))
    return " ／ ".join(parts)
