"""Local rows as push items (the protocol's wire shapes, docs/sync-protocol.md)."""

from __future__ import annotations

import base64
import json

from survey_app.store.canonical import JUDGEMENT_KEYS, canonical, version_content_hash
from survey_app.store.db import Store
from survey_app.store.photos import PHOTO_FIELDS
from survey_app.sync.protocol import BUILDING_FIELDS, normalize_building_fields

META_FIELDS = tuple(f for f in PHOTO_FIELDS if f != "thumbnail")


def building_fields(row: dict) -> dict:
    return normalize_building_fields({k: row.get(k) for k in BUILDING_FIELDS})


def disaster(row: dict) -> dict:
    return {"kind": "disaster", "id": row["id"], "name": row["name"], "hazard": row["hazard"],
            "occurred_on": row["occurred_on"], "municipality_name": row["municipality_name"]}


def building(row: dict, base: dict | None) -> dict:
    return {"kind": "building", "id": row["id"], "disaster_id": row["disaster_id"],
            "fields": building_fields(row), "base": base, "created_at": row["created_at"]}


def survey(row: dict) -> dict:
    return {"kind": "survey", "id": row["id"], "building_id": row["building_id"],
            "stage": row["stage"], "hazard": row["hazard"], "surveyor": row["surveyor"],
            "previous_survey_id": row["previous_survey_id"], "created_at": row["created_at"]}


def status(row: dict) -> dict:
    return {"kind": "status", "survey_id": row["id"], "status": row["status"], "reason": ""}


def version(row: dict, photos: list[str]) -> dict:
    observations = json.loads(row["observations"])
    judgement = _judgement_as_hashed(row, observations)
    return {"kind": "version", "id": row["id"], "survey_id": row["survey_id"],
            "base_version_id": row["base_version_id"], "observations": observations,
            "judgement": judgement, "explanation": json.loads(row["explanation"]),
            "form_hash": row["form_hash"], "author": row["author"], "reason": row["reason"],
            "created_at": row["created_at"], "content_hash": row["content_hash"],
            "photos": sorted(photos)}


def _judgement_as_hashed(row: dict, observations: dict) -> dict:
    """The judgement values the version's content hash was made from. A REAL column gives back
    25.0 for a ratio hashed as 25; the integral form is tried when the stored one differs."""
    judgement = {k: row[k] for k in JUDGEMENT_KEYS}
    text = canonical(observations)
    if version_content_hash(text, tuple(judgement.values())) == row["content_hash"]:
        return judgement
    ratio = judgement.get("damage_ratio")
    if isinstance(ratio, float) and ratio.is_integer():
        alt = {**judgement, "damage_ratio": int(ratio)}
        if version_content_hash(text, tuple(alt.values())) == row["content_hash"]:
            return alt
    return judgement  # the server will refuse it as hash_mismatch: reported, never forced


def photo_link(link: dict, photo: dict) -> dict:
    thumb = photo.get("thumbnail")
    return {"kind": "photo_link", "survey_id": link["survey_id"], "sha256": link["sha256"],
            "tag": link["tag"], "note": link["note"],
            "meta": {k: photo.get(k) for k in META_FIELDS},
            "thumbnail": base64.b64encode(thumb).decode("ascii") if thumb else None}


def version_photos(store: Store, survey_id: str) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT sha256 FROM survey_photos WHERE survey_id = ? ORDER BY sha256", [survey_id])]
