"""Accepting a survey version: idempotent by id and content hash, refused without its photos,
fast-forward when based on the head, else a per-field 3-way merge or a conflict that keeps
both versions for the office. Nothing is overwritten.
"""

from __future__ import annotations

import json

from survey_app.server.context import Ctx, owned_blobs
from survey_app.server.errors import ApiError
from survey_app.store.canonical import JUDGEMENT_KEYS, canonical, judged_tuple
from survey_app.store.canonical import version_content_hash as content_hash
from survey_app.store.ids import now_iso
from survey_app.sync.merge import merge_versions
from survey_app.sync.protocol import conflict_id, merge_version_id

_EMPTY = {"observations": {}, "judgement": {k: None for k in JUDGEMENT_KEYS}, "explanation": []}


def hash_of(doc: dict) -> str:
    return content_hash(canonical(doc["observations"]), judged_tuple(doc["judgement"]))


def push_version(ctx: Ctx, item: dict) -> dict:
    survey = ctx.survey(item["survey_id"], for_update=True)
    item = {**item, "judgement": {k: item["judgement"].get(k) for k in JUDGEMENT_KEYS}}
    if hash_of(item) != item["content_hash"]:
        raise ApiError(422, "hash_mismatch", "content_hash does not match the content")
    existing = _version_row(ctx, item["id"])
    if existing:
        if (existing["survey_id"], existing["content_hash"]) != (item["survey_id"],
                                                                  item["content_hash"]):
            raise ApiError(409, "id_conflict", "another version has this id")
        return {"result": "already", **_outcome(existing["state"])}
    _check_photos(ctx, item["photos"])
    if item["base_version_id"] is not None:
        base = _version_row(ctx, item["base_version_id"])
        if base is None or base["survey_id"] != item["survey_id"]:
            raise ApiError(409, "unknown_base", "the base version is not on the server")
    head = survey["head_version_id"]
    if item["base_version_id"] == head:
        _insert(ctx, survey, item, "main")
        _set_head(ctx, survey, item["id"], server_made=False)
        return {"result": "created"}
    return _merge_or_conflict(ctx, survey, item, head)


def _version_row(ctx: Ctx, version_id: str) -> dict | None:
    """(survey_id, content_hash, state) of a version, None if the server lacks it."""
    if version_id in ctx.rows.versions:
        return ctx.rows.versions[version_id]
    return ctx.conn.one("SELECT survey_id, content_hash, state FROM survey_versions"
                        " WHERE id = ?", (version_id,))


def _outcome(state: str) -> dict:
    kind, _, ref = state.partition(":")
    if kind == "merged":
        return {"version_id": ref}
    if kind == "conflict":
        return {"conflict_id": ref}
    return {}


def _check_photos(ctx: Ctx, shas: list[str]) -> None:
    missing = sorted(set(shas) - owned_blobs(ctx, sorted(set(shas))))
    if missing:
        raise ApiError(409, "missing_blobs", "photos must be uploaded before the record",
                       extra={"missing": missing})


def _doc(ctx: Ctx, version_id: str, survey_id: str) -> dict | None:
    row = ctx.conn.one("SELECT * FROM survey_versions WHERE id = ? AND survey_id = ?",
                       (version_id, survey_id))
    if row is None:
        return None
    return {"observations": json.loads(row["observations"]),
            "judgement": json.loads(row["judgement"]),
            "explanation": json.loads(row["explanation"]),
            "photos": json.loads(row["photos"]), "form_hash": row["form_hash"]}


def _merge_or_conflict(ctx: Ctx, survey: dict, item: dict, head: str) -> dict:
    base = _doc(ctx, item["base_version_id"], survey["id"]) if item["base_version_id"] else None
    ours = _doc(ctx, head, survey["id"])
    merged = merge_versions(base or _EMPTY, ours, item)
    if merged.clean:
        mid = merge_version_id(head, item["id"])
        _insert(ctx, survey, item, f"merged:{mid}")
        doc = {"id": mid, "survey_id": survey["id"], "base_version_id": head,
               "observations": merged.observations, "judgement": merged.judgement,
               "explanation": merged.explanation, "form_hash": item["form_hash"],
               "author": item["author"], "reason": "merge", "created_at": now_iso(),
               "photos": sorted(set(ours["photos"]) | set(item["photos"]))}
        doc["content_hash"] = hash_of(doc)
        _insert(ctx, survey, doc, "main", server_made=True)
        _set_head(ctx, survey, mid, server_made=True)
        return {"result": "merged", "version_id": mid}
    cid = conflict_id(head, item["id"])
    _insert(ctx, survey, item, f"conflict:{cid}")
    ctx.conn.execute(
        "INSERT INTO conflicts (id, municipality_code, kind, survey_id, building_id,"
        " base_version_id, ours_version_id, theirs_version_id, fields, created_at)"
        " VALUES (?, ?, 'version', ?, ?, ?, ?, ?, ?, ?)",
        (cid, ctx.municipality, survey["id"], survey["building_id"], item["base_version_id"],
         head, item["id"], json.dumps([c.to_dict() for c in merged.conflicts],
                                      ensure_ascii=False), now_iso()))
    ctx.revs.record("conflict", cid, survey["building_id"], server_made=True)
    # Sent to the pushing laptop too: it must learn that the head is not its version.
    ctx.revs.record("survey", survey["id"], survey["building_id"], server_made=True)
    return {"result": "conflict", "conflict_id": cid}


def _insert(ctx: Ctx, survey: dict, doc: dict, state: str, *,
            server_made: bool = False) -> None:
    """`doc` is a version of `survey` (the caller's scoped row: its building is known)."""
    ctx.conn.execute(
        "INSERT INTO survey_versions (id, municipality_code, survey_id, base_version_id,"
        " observations, judgement, explanation, form_hash, author, reason, created_at,"
        " content_hash, photos, state, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (doc["id"], ctx.municipality, doc["survey_id"], doc["base_version_id"],
         canonical(doc["observations"]), canonical(doc["judgement"]),
         json.dumps(doc["explanation"], ensure_ascii=False), doc["form_hash"], doc["author"],
         doc["reason"], doc["created_at"], doc["content_hash"],
         json.dumps(sorted(set(doc["photos"]))), state, now_iso()))
    ctx.rows.wrote_version(doc["id"])
    ctx.revs.record("version", doc["id"], survey["building_id"], server_made=server_made)


def _set_head(ctx: Ctx, survey: dict, version_id: str, *, server_made: bool) -> None:
    ctx.conn.execute("UPDATE surveys SET head_version_id = ?, status = 'completed',"
                     " updated_at = ? WHERE id = ?", (version_id, now_iso(), survey["id"]))
    ctx.rows.wrote("survey", survey["id"])
    ctx.revs.record("survey", survey["id"], survey["building_id"], server_made=server_made)


def insert_resolution(ctx: Ctx, survey: dict, doc: dict) -> None:
    """A conflict's resolution: a new main version on top of the head (used by conflicts)."""
    doc = {**doc, "survey_id": survey["id"], "base_version_id": survey["head_version_id"]}
    doc["content_hash"] = hash_of(doc)
    _insert(ctx, survey, doc, "main", server_made=True)  # the office laptop does not hold it yet
    _set_head(ctx, survey, doc["id"], server_made=True)
