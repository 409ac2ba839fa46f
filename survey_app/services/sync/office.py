"""The office's side of a conflict: resolve it on the server (choosing a side or a merged
version), then sync so the resolution is in the office's store too. The resolution id is made
once, so a retried request cannot resolve twice."""

from __future__ import annotations

from survey_app.services.sync.engine import SyncEngine, SyncReport
from survey_app.store.ids import new_id
from survey_app.sync.errors import RejectedError


def resolve_conflict(engine: SyncEngine, conflict_id: str, choice: str, *,
                     observations: dict | None = None, judgement: dict | None = None,
                     explanation: list | None = None, fields: dict | None = None,
                     reason: str = "") -> SyncReport:
    """`choice` is "ours" (the server's head), "theirs" (the pushed version) or "merged" (then
    give observations and judgement, or `fields` for a building conflict)."""
    if not engine.client.identity:
        engine.login()
    conflict = next((c for c in engine.client.conflicts() if c["id"] == conflict_id), None)
    body = {"choice": choice, "resolution_version_id": new_id(), "observations": observations,
            "judgement": judgement, "explanation": explanation, "fields": fields,
            "reason": reason}
    if conflict is not None and conflict["survey_id"]:
        body["base_version_id"] = _server_head(engine, conflict["survey_id"])
    try:
        engine.client.resolve_conflict(conflict_id, body)
    except RejectedError as err:
        if err.code != "stale":
            raise
        engine.sync_once()  # the survey moved on: catch up and resolve on top of the new head
        body["base_version_id"] = _server_head(engine, conflict["survey_id"])
        engine.client.resolve_conflict(conflict_id, body)
    return engine.sync_once()


def _server_head(engine: SyncEngine, survey_id: str) -> str | None:
    row = engine.ws.store.db.execute(
        "SELECT head_version_id FROM sync_heads WHERE survey_id = ?", [survey_id]).fetchone()
    if row is not None:
        return row[0]
    row = engine.ws.store.db.execute("SELECT head_version_id FROM surveys WHERE id = ?",
                                     [survey_id]).fetchone()
    return row[0] if row else None
