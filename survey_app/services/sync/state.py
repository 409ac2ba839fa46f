"""What the UI shows about sync: each survey's state (下書き / 送信待ち / 送信中 n/m枚 / 同期済 /
失敗: reason / 競合 / 担当外) and the overall progress (records, photos, bytes).

Persistent parts (outbox, failures, conflicts) are read from the store; the live part (which
survey is uploading its photos now) is on a thread-safe `ProgressBoard` the engine updates, so
the UI thread can ask at any time through its own store connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from survey_app.i18n import tr
from survey_app.store.db import Store

DRAFT, PENDING, SENDING, SYNCED, FAILED, CONFLICT, RELEASED = (
    "draft", "pending", "sending", "synced", "failed", "conflict", "released")


@dataclass(frozen=True)
class SurveySyncState:
    code: str  # one of DRAFT, PENDING, SENDING, SYNCED, FAILED, CONFLICT, RELEASED
    photos_done: int = 0
    photos_total: int = 0
    reason: str = ""

    @property
    def label(self) -> str:
        """The text for the list and the survey's page, in the current language."""
        if self.code == SENDING:
            return tr("sync.state.sending", done=self.photos_done, total=self.photos_total)
        if self.code == FAILED:
            return tr("sync.state.failed", reason=self.reason)
        return tr(f"sync.state.{self.code}")


@dataclass(frozen=True)
class SyncProgress:
    phase: str = "idle"  # idle/login/photos/records/pull/download/check/done/failed
    records_done: int = 0
    records_total: int = 0
    photos_done: int = 0
    photos_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    message: str = ""

    @property
    def phase_label(self) -> str:
        return tr(f"sync.phase.{self.phase}")


ProgressCallback = Callable[[SyncProgress], None]


class ProgressBoard:
    """Thread-safe live state of a running sync. `on_progress` is called on the sync's own
    threads (photo uploads run a few at once), never the UI's: a Qt UI forwards it through a
    queued signal."""

    def __init__(self, on_progress: ProgressCallback | None = None) -> None:
        self._lock = threading.Lock()
        self._progress = SyncProgress()
        self._sending: dict[str, tuple[int, int]] = {}
        self.on_progress = on_progress

    @property
    def progress(self) -> SyncProgress:
        with self._lock:
            return self._progress

    def update(self, **changes: object) -> None:
        with self._lock:
            self._progress = replace(self._progress, **changes)  # type: ignore[arg-type]
            current = self._progress
        if self.on_progress:
            self.on_progress(current)

    def add(self, **deltas: int) -> None:
        with self._lock:
            values = {k: getattr(self._progress, k) + v for k, v in deltas.items()}
            self._progress = replace(self._progress, **values)
            current = self._progress
        if self.on_progress:
            self.on_progress(current)

    def sending(self, survey_id: str, done: int, total: int) -> None:
        with self._lock:
            self._sending[survey_id] = (done, total)

    def sent(self, survey_ids: Iterable[str]) -> None:
        with self._lock:
            for sid in survey_ids:
                self._sending.pop(sid, None)

    def sending_now(self, survey_id: str) -> tuple[int, int] | None:
        with self._lock:
            return self._sending.get(survey_id)


def survey_states(store: Store, survey_ids: Iterable[str],
                  board: ProgressBoard | None = None) -> dict[str, SurveySyncState]:
    """The sync state of each survey (one query per kind of fact, fine for a page of 200)."""
    ids = list(survey_ids)
    if not ids:
        return {}
    facts = _facts(store, ids)
    out: dict[str, SurveySyncState] = {}
    for sid in ids:
        live = board.sending_now(sid) if board else None
        if sid in facts["conflict"]:
            out[sid] = SurveySyncState(CONFLICT)
        elif live is not None:
            out[sid] = SurveySyncState(SENDING, live[0], live[1])
        elif sid in facts["failed"]:
            out[sid] = SurveySyncState(FAILED, reason=facts["failed"][sid])
        elif sid in facts["pending"]:
            out[sid] = SurveySyncState(PENDING)
        elif sid in facts["released"]:  # given to someone else: not to be surveyed here
            out[sid] = SurveySyncState(RELEASED)
        elif sid in facts["draft"]:
            out[sid] = SurveySyncState(DRAFT)
        else:
            out[sid] = SurveySyncState(SYNCED)
    return out


def survey_state(store: Store, survey_id: str, board: ProgressBoard | None = None
                 ) -> SurveySyncState:
    return survey_states(store, [survey_id], board)[survey_id]


def _facts(store: Store, ids: list[str]) -> dict[str, dict]:
    marks = ",".join("?" * len(ids))

    def rows(sql: str) -> list[tuple]:
        return list(store.db.execute(sql.format(marks=marks), ids).fetchall())

    conflict = rows("SELECT s.id FROM surveys s JOIN sync_conflicts c ON c.status = 'open' AND"
                    " (c.survey_id = s.id OR (c.kind = 'building' AND c.building_id ="
                    " s.building_id)) WHERE s.id IN ({marks})")
    failed = rows("SELECT survey_id, message FROM sync_failures WHERE survey_id IN ({marks})")
    pending = rows("SELECT s.id FROM surveys s JOIN sync_outbox o ON o.survey_id = s.id OR"
                   " (o.kind = 'building' AND o.entity_id = s.building_id)"
                   " WHERE s.id IN ({marks})")
    draft = rows("SELECT survey_id FROM drafts WHERE survey_id IN ({marks})")
    released = rows("SELECT s.id FROM surveys s JOIN sync_released r ON r.building_id ="
                    " s.building_id WHERE s.id IN ({marks})")
    return {"conflict": {r[0] for r in conflict}, "failed": dict(failed),
            "pending": {r[0] for r in pending}, "draft": {r[0] for r in draft},
            "released": {r[0] for r in released}}
