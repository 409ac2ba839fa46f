"""The laptop's sync engine (offline first): the outbox, push and pull over the Workspace,
per-survey sync state and overall progress, and the end-of-sync agreement check.

    engine = SyncEngine(Workspace(home), "https://server", username="sato", password=...)
    report = engine.sync_once()
    engine.survey_state(survey_id).label   # → "同期済", "送信中 2/5枚", "失敗: …", "競合"

`BackgroundSync` runs an engine on a thread with retries and back-off.
"""

from survey_app.services.sync.background import BackgroundSync
from survey_app.services.sync.engine import SyncEngine, SyncReport, device_id
from survey_app.services.sync.office import resolve_conflict
from survey_app.services.sync.state import (
    CONFLICT,
    DRAFT,
    FAILED,
    PENDING,
    SENDING,
    SYNCED,
    ProgressBoard,
    SurveySyncState,
    SyncProgress,
    survey_state,
    survey_states,
)

__all__ = [
    "CONFLICT", "DRAFT", "FAILED", "PENDING", "SENDING", "SYNCED", "BackgroundSync",
    "ProgressBoard", "SurveySyncState", "SyncEngine", "SyncProgress", "SyncReport",
    "device_id", "resolve_conflict", "survey_state", "survey_states",
]
