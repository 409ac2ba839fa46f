"""The office's conflict queue: list the open conflicts, resolve one by choosing a side or a
merged version. A resolution is itself a new version on top of the head (both originals stay),
so it travels to every laptop like any other change. Resolving twice with the same resolution
id is "already"; with another id it is refused."""

from __future__ import annotations

import json

from fastapi import APIRouter, Query, Request

from survey_app.server import buildings, entities, scope
from survey_app.server.auth import CurrentUser, require_role
from survey_app.server.context import Ctx
from survey_app.server.errors import ApiError, replies
from survey_app.server.models import Resolve
from survey_app.server.revisions import Revisions
from survey_app.server.versions import insert_resolution
from survey_app.store.ids import now_iso
from survey_app.sync.protocol import normalize_building_fields

router = APIRouter()


@router.get("/conflicts", tags=["office"], responses=replies(403))
def list_conflicts(user: CurrentUser, request: Request,
                   status: str = Query("open", pattern="^(open|resolved)$")) -> dict:
    require_role(user, "office", "admin")
    with request.app.state.server.db.read() as conn:
        rows = conn.all("SELECT * FROM conflicts WHERE municipality_code = ? AND status = ?"
                        " ORDER BY created_at, id", (user.municipality_code, status))
    return {"conflicts": [entities.conflict(r) for r in rows]}


@router.post("/conflicts/{conflict_id}/resolve", tags=["office"],
             responses=replies(403, 404, 409))
def resolve(user: CurrentUser, conflict_id: str, body: Resolve, request: Request) -> dict:
    require_role(user, "office", "admin")
    device = request.headers.get("x-device-id", "")[:64]
    with request.app.state.server.db.write() as conn:
        revs = Revisions(conn, user.municipality_code, origin=device)
        ctx = Ctx(conn, user, revs)
        row = conn.one("SELECT * FROM conflicts WHERE id = ?" + (
            " FOR UPDATE" if conn.dialect == "postgresql" else ""), (conflict_id,))
        if row is None or row["municipality_code"] != user.municipality_code:
            raise scope.not_found("conflict")
        if row["status"] == "resolved":
            if body.resolution_version_id == row["resolution_version_id"]:
                return {"result": "already", "version_id": row["resolution_version_id"]}
            raise ApiError(409, "already_resolved", "")
        if row["kind"] == "version":
            version_id = _resolve_version(ctx, row, body)
        else:
            version_id = _resolve_building(ctx, row, body)
        conn.execute("UPDATE conflicts SET status = 'resolved', resolution_version_id = ?,"
                     " resolved_by = ?, resolved_at = ? WHERE id = ?",
                     (version_id, user.username, now_iso(), conflict_id))
        revs.record("conflict", conflict_id, row["building_id"], server_made=True)
        revs.finish()
    return {"result": "resolved", "version_id": version_id}


def _resolve_version(ctx: Ctx, row: dict, body: Resolve) -> str:
    if body.resolution_version_id is None:
        raise ApiError(422, "invalid", "resolution_version_id is required")
    survey = scope.survey(ctx.conn, ctx.user, row["survey_id"], for_update=True)
    if body.base_version_id != survey["head_version_id"]:
        raise ApiError(409, "stale", "the survey has a newer version: reload and resolve again")
    ours = _version(ctx, row["ours_version_id"])
    theirs = _version(ctx, row["theirs_version_id"])
    if body.choice == "merged":
        if body.observations is None or body.judgement is None:
            raise ApiError(422, "invalid", "a merged resolution needs observations and judgement")
        content = {"observations": body.observations, "judgement": body.judgement,
                   "explanation": body.explanation or [], "form_hash": theirs["form_hash"]}
    else:
        content = ours if body.choice == "ours" else theirs
    insert_resolution(ctx, survey, {
        "id": body.resolution_version_id, "observations": content["observations"],
        "judgement": content["judgement"], "explanation": content["explanation"],
        "form_hash": content["form_hash"], "author": ctx.user.username,
        "reason": f"resolve:{body.choice} {body.reason}".strip(), "created_at": now_iso(),
        "photos": sorted(set(ours["photos"]) | set(theirs["photos"]))})
    return body.resolution_version_id


def _version(ctx: Ctx, version_id: str) -> dict:
    row = ctx.conn.one("SELECT * FROM survey_versions WHERE id = ?", (version_id,))
    return entities.version(row)


def _resolve_building(ctx: Ctx, row: dict, body: Resolve) -> None:
    current = scope.building(ctx.conn, ctx.user, row["building_id"], for_update=True)
    fields = json.loads(current["fields"])
    chosen = {c["path"]: c["theirs"] for c in json.loads(row["fields"])}
    if body.choice == "merged":
        chosen = body.fields or {}
    if body.choice != "ours":
        try:
            new = normalize_building_fields({**fields, **chosen})
        except ValueError as err:
            raise ApiError(422, "invalid_fields", str(err)) from None
        if new != fields:
            buildings.update(ctx, current, new, server_made=True)
    return None
