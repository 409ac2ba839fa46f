"""GET /changes: the changes since revision N that the caller may see, in revision order, each
with the entity's current state (or a tombstone). The caller's own changes are left out (it
has them); changes the server made on its behalf (merges, conflicts) are not."""

from __future__ import annotations

import json
from collections import defaultdict

from fastapi import APIRouter, Query, Request

from survey_app.server import entities
from survey_app.server.agreement import summary_kinds
from survey_app.server.auth import CurrentUser, User
from survey_app.server.db import Conn, Database
from survey_app.server.scope import change_filter
from survey_app.sync.protocol import MAX_PAGE, MAX_REV

router = APIRouter()
PAGE_BYTES = 512 << 10


@router.get("/changes", tags=["sync"])
def changes(user: CurrentUser, request: Request, since: int = Query(0, ge=0, le=MAX_REV),
            limit: int = Query(250, ge=1, le=MAX_PAGE), own: bool = False,
            summary: bool = False) -> dict:
    """`summary`: the last page also carries the end-of-sync check's counts and digests,
    read in the same snapshot as the page (one request fewer per sync)."""
    device = "" if own else request.headers.get("x-device-id", "")[:64]
    return page(request.app.state.server.db, user, device, since, limit, summary=summary)


def page(db: Database, user: User, device: str, since: int, limit: int, *,
         summary: bool = False) -> dict:
    """One page of changes after `since`, leaving out those from `device` (it has them)."""
    with db.read() as conn:
        head = conn.scalar("SELECT rev FROM rev_counters WHERE municipality_code = ?",
                           (user.municipality_code,)) or 0
        rows = _rows(conn, user, device, since, limit)
        data = _load(conn, user.municipality_code, rows)
        kinds = summary_kinds(conn, user) if summary and len(rows) < limit else None
    out, size = [], 0
    more = len(rows) == limit
    for i, row in enumerate(rows):
        value = data.get((row["entity"], row["entity_id"]))
        if row["op"] == "put" and value is None:
            continue  # gone since (a detached photo): its tombstone comes later in the feed
        out.append({"rev": row["rev"], "entity": row["entity"], "id": row["entity_id"],
                    "op": row["op"], "data": value if row["op"] == "put" else None})
        size += len(json.dumps(value, ensure_ascii=False)) if value else 20
        if size > PAGE_BYTES and i + 1 < len(rows):
            rows, more = rows[:i + 1], True  # thumbnails add up: keep a page small
            break
    next_since = rows[-1]["rev"] if more else max(head, since)
    reply = {"changes": out, "next_since": next_since, "more": more, "head_rev": head}
    if kinds is not None and not more:
        reply["summary"] = {"rev": head, "kinds": kinds}
    return reply


def _rows(conn: Conn, user: User, device: str, since: int, limit: int) -> list[dict]:
    cond, params = change_filter(user)
    sql = ("SELECT c.rev, c.entity, c.entity_id, c.op FROM changes c"
           f" WHERE c.municipality_code = ? AND c.rev > ? AND {cond}")
    args: list = [user.municipality_code, since, *params]
    if device:
        sql += " AND c.origin <> ?"
        args.append(device)
    return conn.all(sql + " ORDER BY c.rev LIMIT ?", [*args, limit])


def _load(conn: Conn, municipality: str, rows: list[dict]) -> dict[tuple[str, str], dict]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["op"] == "put":
            wanted[row["entity"]].append(row["entity_id"])
    out: dict[tuple[str, str], dict] = {}
    for entity, ids in wanted.items():
        for key, value in entities.load(conn, municipality, entity, sorted(set(ids))).items():
            out[(entity, key)] = value
    return out
