"""Push handlers for the small records: disasters, surveys, photo links and status decisions.
Each is idempotent: the same content again is "already"; the same id with other content is
refused (409), never applied over what is there."""

from __future__ import annotations

import base64
import binascii
import hashlib

from survey_app.server import scope
from survey_app.server.context import Ctx, owned_blobs
from survey_app.server.errors import ApiError
from survey_app.store.canonical import canonical
from survey_app.store.ids import now_iso

_DISASTER = ("name", "hazard", "occurred_on", "municipality_name")
_SURVEY = ("building_id", "stage", "hazard", "surveyor", "previous_survey_id")
_MAX_THUMB = 256 << 10


def _hash(values: dict) -> str:
    return hashlib.sha256(canonical(values).encode("utf-8")).hexdigest()


def push_disaster(ctx: Ctx, item: dict) -> dict:
    values = {k: item[k] for k in _DISASTER}
    row = ctx.conn.one("SELECT municipality_code, content_hash FROM disasters WHERE id = ?",
                       (item["id"],))
    if row is not None:
        if row["municipality_code"] != ctx.municipality:
            raise scope.not_found("disaster")
        if row["content_hash"] == _hash(values):
            return {"result": "already"}
    if not ctx.user.is_office:
        raise ApiError(403, "forbidden_role", "only the office registers disasters")
    if row is None:
        ctx.conn.execute(
            "INSERT INTO disasters (id, municipality_code, name, hazard, occurred_on,"
            " municipality_name, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item["id"], ctx.municipality, *values.values(), _hash(values), now_iso()))
    else:
        ctx.conn.execute("UPDATE disasters SET name = ?, hazard = ?, occurred_on = ?,"
                         " municipality_name = ?, content_hash = ? WHERE id = ?",
                         (*values.values(), _hash(values), item["id"]))
    ctx.revs.record("disaster", item["id"], None)
    return {"result": "created" if row is None else "updated"}


def push_survey(ctx: Ctx, item: dict) -> dict:
    building = ctx.building(item["building_id"])
    identity = {k: item[k] for k in _SURVEY}
    known, row = ctx.rows.row_of("survey", item["id"])
    if not known:
        row = ctx.conn.one("SELECT identity_hash FROM surveys WHERE id = ?", (item["id"],))
    if row is not None:
        if row["identity_hash"] != _hash(identity):
            raise ApiError(409, "id_conflict", "another survey has this id")
        return {"result": "already"}
    previous = item["previous_survey_id"]
    if previous and ctx.conn.scalar("SELECT building_id FROM surveys WHERE id = ?",
                                    (previous,)) != building["id"]:
        raise ApiError(409, "unknown_previous", "the previous survey is not on the server")
    now = now_iso()
    ctx.conn.execute(
        "INSERT INTO surveys (id, municipality_code, building_id, disaster_id, stage, hazard,"
        " surveyor, previous_survey_id, identity_hash, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item["id"], ctx.municipality, building["id"], building["disaster_id"], item["stage"],
         item["hazard"], item["surveyor"], previous, _hash(identity),
         item.get("created_at") or now, now))
    ctx.rows.wrote("survey", item["id"])
    ctx.revs.record("survey", item["id"], building["id"])
    return {"result": "created"}


def push_link(ctx: Ctx, item: dict) -> dict:
    survey = ctx.survey(item["survey_id"])
    sha = item["sha256"]
    if not owned_blobs(ctx, [sha]):
        raise ApiError(409, "missing_blobs", "upload the photo first", extra={"missing": [sha]})
    _photo_meta(ctx, sha, item)
    row = _link_row(ctx, survey["id"], sha)
    key = f"{survey['id']}:{sha}"
    if row is not None and row["deleted"]:
        return {"result": "gone"}
    if row is not None and (row["tag"], row["note"]) == (item["tag"], item["note"]):
        return {"result": "already"}
    if row is None:
        ctx.conn.execute("INSERT INTO photo_links (survey_id, sha256, municipality_code, tag,"
                         " note, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (survey["id"], sha, ctx.municipality, item["tag"], item["note"],
                          now_iso()))
    else:
        # A tag is a label, not evidence: the latest one pushed wins (docs/sync-protocol.md).
        ctx.conn.execute("UPDATE photo_links SET tag = ?, note = ? WHERE survey_id = ?"
                         " AND sha256 = ?", (item["tag"], item["note"], survey["id"], sha))
    ctx.rows.wrote_link(survey["id"], sha)
    ctx.revs.record("photo_link", key, survey["building_id"])
    return {"result": "created" if row is None else "updated"}


def _link_row(ctx: Ctx, survey_id: str, sha: str) -> dict | None:
    if (survey_id, sha) in ctx.rows.links:
        return ctx.rows.links[(survey_id, sha)]
    return ctx.conn.one("SELECT tag, note, deleted FROM photo_links WHERE survey_id = ?"
                        " AND sha256 = ?", (survey_id, sha))


def _photo_meta(ctx: Ctx, sha: str, item: dict) -> None:
    thumb = None
    if item.get("thumbnail"):
        try:
            thumb = base64.b64decode(item["thumbnail"], validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, "invalid_thumbnail", "thumbnail is not base64") from None
        if len(thumb) > _MAX_THUMB:
            raise ApiError(413, "thumbnail_too_large", "")
    ctx.conn.execute("INSERT INTO photos (municipality_code, sha256, meta, thumbnail)"
                     " VALUES (?, ?, ?, ?) ON CONFLICT (municipality_code, sha256) DO NOTHING",
                     (ctx.municipality, sha, canonical(item.get("meta") or {}), thumb))


def push_status(ctx: Ctx, item: dict) -> dict:
    if not ctx.user.is_office:
        raise ApiError(403, "forbidden_role", "only the office decides a survey's status")
    survey = ctx.survey(item["survey_id"], for_update=True)
    if survey["status"] == item["status"]:
        return {"result": "already"}
    if item["status"] not in ("resurvey_requested", "completed") or (
            item["status"] == "completed" and not survey["head_version_id"]):
        raise ApiError(422, "invalid_status", item["status"])
    ctx.conn.execute("UPDATE surveys SET status = ?, updated_at = ? WHERE id = ?",
                     (item["status"], now_iso(), survey["id"]))
    ctx.rows.wrote("survey", survey["id"])
    ctx.revs.record("survey", survey["id"], survey["building_id"])
    return {"result": "updated"}


def delete_link(ctx: Ctx, survey_id: str, sha: str) -> dict:
    """Detach a photo (a tombstone travels to the laptops); replaying it changes nothing."""
    survey = scope.survey(ctx.conn, ctx.user, survey_id)
    row = ctx.conn.one("SELECT deleted FROM photo_links WHERE survey_id = ? AND sha256 = ?",
                       (survey_id, sha))
    if row is None:
        raise scope.not_found("photo link")
    if row["deleted"]:
        return {"result": "already"}
    ctx.conn.execute("UPDATE photo_links SET deleted = 1 WHERE survey_id = ? AND sha256 = ?",
                     (survey_id, sha))
    ctx.revs.record("photo_link", f"{survey_id}:{sha}", survey["building_id"], op="delete",
                    server_made=True)
    return {"result": "updated"}

