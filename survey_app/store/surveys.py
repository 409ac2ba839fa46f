"""Surveys and their versions. A completed edit is a new immutable version; nothing is
overwritten in place. The draft (autosaved on every edit) is the one mutable row per survey.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from survey_app.store.canonical import (
    JUDGEMENT_KEYS,
    canonical,
    judged_tuple,
    version_content_hash,
)
from survey_app.store.ids import new_id, now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store

STAGES = ("first", "second", "resurvey")
STATUSES = ("unsurveyed", "draft", "completed", "resurvey_requested")


class _Keep:
    """save_draft's default: keep the draft's own base version (the head for a new draft)."""


KEEP_BASE = _Keep()


class StaleVersionError(Exception):
    """The survey moved on since the edit began (another save, or a sync brought a version)."""


class Surveys:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def create(self, *, building_id: str, stage: str, hazard: str, surveyor: str = "",
               previous_survey_id: str | None = None, actor: str = "system",
               survey_id: str | None = None) -> str:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        building = self.store.buildings.get(building_id)
        now = now_iso()
        row = {"id": survey_id or new_id(), "building_id": building_id,
               "disaster_id": building["disaster_id"], "stage": stage, "hazard": hazard,
               "status": "unsurveyed", "surveyor": surveyor,
               "previous_survey_id": previous_survey_id, "address": building["address"],
               "applicant": building["owner_name"],
               "applicant_kana": building["owner_kana"], "area": building["area"],
               "created_at": now, "updated_at": now}
        with self.store.atomic():
            self.db["surveys"].insert(row)
            self.store.audit.append(actor=actor, action="create", entity="survey",
                                    entity_id=row["id"], payload=row)
        return row["id"]

    def get(self, survey_id: str) -> dict:
        return self.db["surveys"].get(survey_id)

    def for_building(self, building_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM surveys WHERE building_id = ? ORDER BY created_at", [building_id]))

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(self, survey_id: str, observations: dict, *,
                   base_version_id: str | None | _Keep = KEEP_BASE) -> None:
        """Autosave: one small transaction per edit, so a killed process loses at most that edit.
        The draft remembers the version its edit started from, even when a pull moves the head
        meanwhile (else completing would silently undo the other side's changes): by default
        an existing draft keeps its base and a new one starts from the head."""
        survey = self.get(survey_id)
        if isinstance(base_version_id, _Keep):
            kept = self.db.execute("SELECT base_version_id FROM drafts WHERE survey_id = ?",
                                   [survey_id]).fetchone()
            base_version_id = kept[0] if kept else survey["head_version_id"]
        row = {"survey_id": survey_id, "base_version_id": base_version_id,
               "observations": json.dumps(observations, ensure_ascii=False),
               "updated_at": now_iso()}
        with self.store.atomic():
            self.db["drafts"].upsert(row, pk="survey_id")
            if survey["status"] == "unsurveyed":
                self.db["surveys"].update(survey_id, {"status": "draft", "updated_at": now_iso()})

    def draft(self, survey_id: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM drafts WHERE survey_id = ?", [survey_id]))
        if not rows:
            return None
        return {**rows[0], "observations": json.loads(rows[0]["observations"])}

    def discard_draft(self, survey_id: str) -> None:
        with self.store.atomic():
            self.db.execute("DELETE FROM drafts WHERE survey_id = ?", [survey_id])

    # -- versions ----------------------------------------------------------------------------

    def complete(self, survey_id: str, *, observations: dict, judgement: dict, author: str,
                 base_version_id: str | None = None, reason: str = "",
                 form_hash: str = "", version_id: str | None = None,
                 created_at: str | None = None) -> str:
        """Record a new version judged by `judgement` (grade_code, grade, damage_ratio,
        rules_version, rules_hash, explanation). `base_version_id` must be the current head.
        `created_at` keeps the time a version was made elsewhere (a laptop, an import)."""
        with self.store.atomic():
            survey = self.get(survey_id)
            if base_version_id != survey["head_version_id"]:
                raise StaleVersionError(survey_id)
            row = self._version_row(survey, observations, judgement, author=author,
                                    reason=reason, form_hash=form_hash, version_id=version_id)
            if created_at:
                row["created_at"] = created_at
            self.db["survey_versions"].insert(row)
            self._set_head(survey_id, row, status="completed")
            self.db.execute("DELETE FROM drafts WHERE survey_id = ?", [survey_id])
            self.store.audit.append(
                actor=author, action="complete", entity="survey", entity_id=survey_id,
                payload={"version_id": row["id"], "version_no": row["version_no"],
                         "content_hash": row["content_hash"], "grade": row["grade"]})
        return row["id"]

    def _version_row(self, survey: dict, observations: dict, judgement: dict, *, author: str,
                     reason: str, form_hash: str, version_id: str | None) -> dict:
        text = canonical(observations)
        return {
            "id": version_id or new_id(), "survey_id": survey["id"],
            "version_no": survey["version_count"] + 1,
            "base_version_id": survey["head_version_id"],
            "observations": text,
            **{k: judgement.get(k) for k in JUDGEMENT_KEYS},
            "form_hash": form_hash,
            "explanation": json.dumps(judgement.get("explanation", []), ensure_ascii=False),
            "content_hash": version_content_hash(text, judged_tuple(judgement)),
            "author": author, "reason": reason, "created_at": now_iso(),
        }

    def _set_head(self, survey_id: str, version: dict, *, status: str) -> None:
        self.db["surveys"].update(survey_id, {
            "head_version_id": version["id"], "version_count": version["version_no"],
            "status": status, "updated_at": now_iso(),
            **{k: version[k] for k in ("grade_code", "grade", "damage_ratio", "rules_version")},
        })

    def versions(self, survey_id: str) -> list[dict]:
        rows = self.db.query(
            "SELECT * FROM survey_versions WHERE survey_id = ? ORDER BY version_no", [survey_id])
        return [self._decode(r) for r in rows]

    def version(self, version_id: str) -> dict:
        return self._decode(self.db["survey_versions"].get(version_id))

    @staticmethod
    def _decode(row: dict) -> dict:
        return {**row, "observations": json.loads(row["observations"]),
                "explanation": json.loads(row["explanation"])}

    def set_status(self, survey_id: str, status: str, *, actor: str, reason: str = "") -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self.store.atomic():
            self.db["surveys"].update(survey_id, {"status": status, "updated_at": now_iso()})
            self.store.audit.append(actor=actor, action="status", entity="survey",
                                    entity_id=survey_id, payload={"status": status,
                                                                  "reason": reason})

    def bulk_import_versions(self, rows: Iterable[tuple], *, actor: str) -> int:
        """Fast path for imports and sync: rows are
        (survey_id, version_id, observations_json, judgement_dict), one new head per survey.
        One audit entry covers the batch with a digest of every version's content hash."""
        return _bulk.import_versions(self.store, rows, actor=actor)


from survey_app.store import bulk as _bulk  # noqa: E402  (bulk needs the helpers above)
