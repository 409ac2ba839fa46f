"""Server rows as the protocol sends them (docs/sync-protocol.md, "Entities"), loaded in bulk
for a page of changes."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from survey_app.server.db import Conn

_IN_CHUNK = 500


def disaster(row: dict) -> dict:
    return {k: row[k] for k in ("id", "name", "hazard", "occurred_on", "municipality_code",
                                "municipality_name", "created_at")}


def building(row: dict) -> dict:
    return {"id": row["id"], "disaster_id": row["disaster_id"],
            "fields": json.loads(row["fields"]), "fields_hash": row["fields_hash"],
            "created_at": row["created_at"], "updated_at": row["updated_at"]}


def survey(row: dict) -> dict:
    return {k: row[k] for k in ("id", "building_id", "disaster_id", "stage", "hazard",
                                "surveyor", "previous_survey_id", "status", "head_version_id",
                                "created_at")}


def version(row: dict) -> dict:
    return {"id": row["id"], "survey_id": row["survey_id"],
            "base_version_id": row["base_version_id"],
            "observations": json.loads(row["observations"]),
            "judgement": json.loads(row["judgement"]),
            "explanation": json.loads(row["explanation"]), "form_hash": row["form_hash"],
            "author": row["author"], "reason": row["reason"], "created_at": row["created_at"],
            "content_hash": row["content_hash"], "photos": json.loads(row["photos"]),
            "state": row["state"]}


def photo_link(row: dict) -> dict:
    thumb = row.get("thumbnail")
    return {"survey_id": row["survey_id"], "sha256": row["sha256"], "tag": row["tag"],
            "note": row["note"], "meta": json.loads(row["meta"] or "{}"),
            "thumbnail": base64.b64encode(bytes(thumb)).decode("ascii") if thumb else None}


def conflict(row: dict) -> dict:
    return {k: row[k] for k in ("id", "kind", "survey_id", "building_id", "base_version_id",
                                "ours_version_id", "theirs_version_id", "status",
                                "resolution_version_id", "resolved_by", "created_at",
                                "resolved_at")} | {"fields": json.loads(row["fields"])}


def _rows(conn: Conn, sql: str, ids: list[str]) -> list[dict]:
    out: list[dict] = []
    for i in range(0, len(ids), _IN_CHUNK):
        part = ids[i:i + _IN_CHUNK]
        out.extend(conn.all(sql.format(marks=",".join("?" * len(part))), part))
    return out


def _links(conn: Conn, municipality: str, keys: list[str]) -> dict[str, dict]:
    survey_ids = sorted({k.split(":", 1)[0] for k in keys})
    rows = _rows(conn, "SELECT l.*, p.meta, p.thumbnail FROM photo_links l LEFT JOIN photos p"
                       " ON p.sha256 = l.sha256 AND p.municipality_code = l.municipality_code"
                       " WHERE l.deleted = 0 AND l.survey_id IN ({marks})", survey_ids)
    wanted = set(keys)
    return {f"{r['survey_id']}:{r['sha256']}": photo_link(r) for r in rows
            if r["municipality_code"] == municipality
            and f"{r['survey_id']}:{r['sha256']}" in wanted}


_TABLES: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "disaster": ("disasters", disaster), "building": ("buildings", building),
    "survey": ("surveys", survey), "version": ("survey_versions", version),
    "conflict": ("conflicts", conflict),
}


def load(conn: Conn, municipality: str, entity: str, ids: list[str]) -> dict[str, dict]:
    """{id: wire data} for the ids that exist in `municipality` (deleted ones are absent)."""
    if entity == "photo_link":
        return _links(conn, municipality, ids)
    table, wire = _TABLES[entity]
    rows = _rows(conn, f"SELECT * FROM {table} WHERE id IN ({{marks}})", ids)
    return {r["id"]: wire(r) for r in rows if r["municipality_code"] == municipality}
