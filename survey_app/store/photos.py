"""Photo records (the bytes live in the blob store, addressed by SHA-256) and their links to
surveys, each tagged with what it shows (外観 north side, 基礎, 浸水深 …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey_app.store.ids import now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store

PHOTO_FIELDS = ("size", "mime", "original_name", "taken_at", "lat", "lon", "altitude",
                "direction", "orientation", "camera", "width", "height", "thumbnail")


class PhotoRecords:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add(self, sha256: str, *, actor: str, **fields: object) -> bool:
        """Record a photo once; returns False when this SHA-256 is already known."""
        unknown = set(fields) - set(PHOTO_FIELDS)
        if unknown:
            raise ValueError(f"unknown photo fields: {sorted(unknown)}")
        with self.store.atomic():
            if self.has(sha256):
                return False
            self.db["photos"].insert({"sha256": sha256, "imported_at": now_iso(), **fields})
            self.store.audit.append(actor=actor, action="import", entity="photo",
                                    entity_id=sha256, payload={"size": fields.get("size"),
                                                               "name": fields.get("original_name")})
        return True

    def has(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM photos WHERE sha256 = ?", [sha256]).fetchone() \
            is not None

    def get(self, sha256: str) -> dict:
        return self.db["photos"].get(sha256)

    def attach(self, survey_id: str, sha256: str, *, tag: str = "", actor: str) -> bool:
        """Link a photo to a survey; False if it was already attached (never a duplicate)."""
        with self.store.atomic():
            exists = self.db.execute(
                "SELECT 1 FROM survey_photos WHERE survey_id = ? AND sha256 = ?",
                [survey_id, sha256]).fetchone()
            if exists:
                return False
            self.db["survey_photos"].insert({"survey_id": survey_id, "sha256": sha256,
                                             "tag": tag, "added_at": now_iso()})
            self.store.audit.append(actor=actor, action="attach", entity="survey",
                                    entity_id=survey_id, payload={"sha256": sha256, "tag": tag})
        return True

    def set_tag(self, survey_id: str, sha256: str, tag: str, *, actor: str) -> None:
        with self.store.atomic():
            self.db.execute("UPDATE survey_photos SET tag = ? WHERE survey_id = ? AND sha256 = ?",
                            [tag, survey_id, sha256])
            self.store.audit.append(actor=actor, action="tag", entity="survey",
                                    entity_id=survey_id, payload={"sha256": sha256, "tag": tag})

    def for_survey(self, survey_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT p.*, sp.tag, sp.note, sp.added_at FROM survey_photos sp"
            " JOIN photos p ON p.sha256 = sp.sha256 WHERE sp.survey_id = ?"
            " ORDER BY sp.added_at, p.taken_at", [survey_id]))

    def all_shas(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT sha256 FROM photos ORDER BY sha256")]
