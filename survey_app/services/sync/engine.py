"""The sync engine of one laptop: log in, push (photos first, records last), pull, fetch
missing photos, and end with the agreement check, repairing what it can.

Run it on its own thread with its own Workspace (its own store connection); the UI reads the
state through `survey_states(ui_store, ids, engine.board)` and gets progress from the board's
callback. `BackgroundSync` (background.py) runs it whenever the server is reachable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from survey_app.i18n import tr
from survey_app.photos.errors import PhotoError
from survey_app.services.sync import agreement
from survey_app.services.sync.pull import download_photos, pull, set_meta
from survey_app.services.sync.push import Pusher, PushReport
from survey_app.services.sync.state import (
    ProgressBoard,
    ProgressCallback,
    SurveySyncState,
    survey_state,
    survey_states,
)
from survey_app.services.workspace import Workspace
from survey_app.sync.client import SyncClient
from survey_app.sync.errors import AuthError, SyncError
from survey_app.sync.http import Backoff


@dataclass
class SyncReport:
    ok: bool
    agreed: bool
    push: PushReport = field(default_factory=PushReport)
    pulled: int = 0
    downloaded: int = 0
    repaired: int = 0
    disagreements: list[str] = field(default_factory=list)
    error: str = ""
    error_code: str = ""

    @property
    def message(self) -> str:
        if self.error:
            return tr("sync.result.failed", reason=self.error)
        if not self.agreed:
            return tr("sync.result.disagree", kinds=tr("sync.kind.separator").join(
                tr(f"sync.kind.{kind}") for kind in self.disagreements))
        return tr("sync.result.ok", sent=self.push.sent, pulled=self.pulled,
                  photos=self.push.photos + self.downloaded)


def device_id(ws: Workspace) -> str:
    """This laptop's id, made once and kept in its store."""
    row = ws.store.db.execute("SELECT value FROM sync_meta WHERE key = 'device_id'").fetchone()
    if row:
        return row[0]
    value = str(uuid.uuid4())
    with ws.store.atomic():
        set_meta(ws, "device_id", value)
    return value


class SyncEngine:
    def __init__(self, ws: Workspace, server_url: str, *, username: str, password: str = "",
                 token: str = "", on_progress: ProgressCallback | None = None,
                 backoff: Backoff | None = None, client: SyncClient | None = None) -> None:
        self.ws = ws
        self.username, self._password, self._token = username, password, token
        self.board = ProgressBoard(on_progress)
        self.client = client or SyncClient.connect(server_url, device_id=device_id(ws),
                                                   backoff=backoff)

    def close(self) -> None:
        self.client.close()

    # -- the UI's questions -----------------------------------------------------------------

    def survey_state(self, survey_id: str) -> SurveySyncState:
        return survey_state(self.ws.store, survey_id, self.board)

    def survey_states(self, survey_ids: list[str]) -> dict[str, SurveySyncState]:
        return survey_states(self.ws.store, survey_ids, self.board)

    def open_conflicts(self) -> list[dict]:
        return list(self.ws.store.db.query(
            "SELECT * FROM sync_conflicts WHERE status = 'open' ORDER BY updated_at"))

    # -- running ----------------------------------------------------------------------------

    def login(self) -> dict:
        """Log in with the password, or check the kept token; returns who the server says."""
        self.board.update(phase="login")
        if self._token and not self._password:
            return self.client.use_token(self._token)
        return self.client.login(self.username, self._password)

    def sync_once(self) -> SyncReport:
        """One full round; errors are returned in the report (and left in the outbox)."""
        report = SyncReport(ok=False, agreed=False)
        self.board.update(phase="login", records_done=0, records_total=0, photos_done=0,
                          photos_total=0, bytes_done=0, bytes_total=0, message="")
        try:
            if not self.client.identity:
                self.login()
            self._round(report)
            report.ok = True
        except AuthError as err:
            self.client.identity = {}
            report.error, report.error_code = err.message, err.code
        except SyncError as err:
            report.error, report.error_code = err.message, err.code
        except PhotoError as err:  # e.g. the disk filled up while photos came down
            report.error, report.error_code = err.message, err.code
        self.board.update(phase="done" if report.ok and report.agreed else "failed",
                          message=report.message)
        return report

    def _round(self, report: SyncReport) -> None:
        report.push = Pusher(self.ws, self.client, self.board).run()
        pulled = pull(self.ws, self.client, self.board, first=report.push.page)
        report.pulled = pulled.count
        report.downloaded = download_photos(self.ws, self.client, self.board)
        self.board.update(phase="check")
        diffs = agreement.compare(self.ws.store, self.client, pulled.summary)
        if diffs:
            report.repaired = self._repair(diffs, report)
            diffs = agreement.compare(self.ws.store, self.client)
        report.disagreements = [d.kind for d in diffs]
        report.agreed = not diffs

    def _repair(self, diffs: list[agreement.Disagreement], report: SyncReport) -> int:
        requeued = agreement.requeue(self.ws.store, diffs)
        if requeued:
            more = Pusher(self.ws, self.client, self.board).run()
            report.push.sent += more.sent
            report.push.failed += more.failed
        if any(d.server_only or d.different for d in diffs):
            report.pulled += pull(self.ws, self.client, self.board, full=True).count
            report.downloaded += download_photos(self.ws, self.client, self.board)
        return requeued
