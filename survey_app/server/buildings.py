"""Buildings pushed from laptops: created once, then changed by a per-field 3-way merge against
the fields the laptop last saw (`base`). A field both sides changed differently keeps the
server's value and becomes a conflict for the office; an assignment change re-sends the
building to whoever is newly assigned.
"""

from __future__ import annotations

import hashlib
import json

from survey_app.server.context import Ctx
from survey_app.server.errors import ApiError
from survey_app.store.canonical import canonical
from survey_app.store.ids import now_iso
from survey_app.sync.merge import merge_fields
from survey_app.sync.protocol import assigned_users, conflict_id, normalize_building_fields


def fields_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def _normalized(fields: dict | None) -> dict | None:
    if fields is None:
        return None
    try:
        out = normalize_building_fields(fields)
    except ValueError as err:
        raise ApiError(422, "invalid_fields", str(err)) from None
    if not out["address"]:
        raise ApiError(422, "invalid_fields", "address is required")
    return out


def push_building(ctx: Ctx, item: dict) -> dict:
    fields = _normalized(item["fields"])
    known, row = ctx.rows.row_of("building", item["id"])
    if not known:
        row = ctx.conn.one("SELECT id FROM buildings WHERE id = ?", (item["id"],))
    if row is None:
        return _create(ctx, item, fields)
    row = ctx.building(item["id"], for_update=True)
    server = json.loads(row["fields"])
    if fields == server:
        return {"result": "already", "fields": server}
    base = _normalized(item["base"]) or json.loads(row["first_fields"])
    if not ctx.user.is_office and fields["assigned_to"] != base["assigned_to"]:
        raise ApiError(403, "forbidden_field", "only the office assigns buildings")
    merged, conflicts = merge_fields(base, server, fields)
    if merged != server:
        update(ctx, row, merged, server_made=bool(conflicts) or merged != fields)
    if conflicts:
        cid = conflict_id(row["id"], fields_hash(fields))
        if not ctx.conn.one("SELECT id FROM conflicts WHERE id = ?", (cid,)):
            ctx.conn.execute(
                "INSERT INTO conflicts (id, municipality_code, kind, building_id, fields,"
                " created_at) VALUES (?, ?, 'building', ?, ?, ?)",
                (cid, ctx.municipality, row["id"],
                 json.dumps([c.to_dict() for c in conflicts], ensure_ascii=False), now_iso()))
            ctx.revs.record("conflict", cid, row["id"], server_made=True)
            ctx.revs.record("building", row["id"], row["id"], server_made=True)
        return {"result": "conflict", "conflict_id": cid, "fields": merged}
    return {"result": "updated" if merged != server else "already", "fields": merged}


def _create(ctx: Ctx, item: dict, fields: dict) -> dict:
    disaster = ctx.conn.one("SELECT municipality_code FROM disasters WHERE id = ?",
                            (item["disaster_id"],))
    if disaster is None or disaster["municipality_code"] != ctx.municipality:
        raise ApiError(409, "unknown_disaster", "the disaster is not on the server")
    pushed = dict(fields)
    if not ctx.user.is_office and ctx.user.username not in assigned_users(fields["assigned_to"]):
        # A surveyor's own new building is theirs to survey.
        fields["assigned_to"] = ", ".join(sorted(assigned_users(fields["assigned_to"])
                                                 | {ctx.user.username}))
    text, now = canonical(fields), now_iso()
    ctx.conn.execute(
        "INSERT INTO buildings (id, municipality_code, disaster_id, fields, fields_hash,"
        " first_fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (item["id"], ctx.municipality, item["disaster_id"], text, fields_hash(fields),
         canonical(pushed), item.get("created_at") or now, now))
    ctx.rows.wrote("building", item["id"])
    _set_assignments(ctx, item["id"], fields["assigned_to"], restamp=False)
    ctx.revs.record("building", item["id"], item["id"], server_made=pushed != fields)
    return {"result": "created", "fields": fields}


def update(ctx: Ctx, row: dict, fields: dict, *, server_made: bool) -> None:
    """Store new fields (already merged and normalized) and stamp the change."""
    ctx.conn.execute("UPDATE buildings SET fields = ?, fields_hash = ?, updated_at = ?"
                     " WHERE id = ?", (canonical(fields), fields_hash(fields), now_iso(),
                                      row["id"]))
    ctx.rows.wrote("building", row["id"])
    ctx.revs.record("building", row["id"], row["id"], server_made=server_made)
    old = json.loads(row["fields"])["assigned_to"]
    if fields["assigned_to"] != old:
        _set_assignments(ctx, row["id"], fields["assigned_to"], restamp=True)


def _set_assignments(ctx: Ctx, building_id: str, assigned_to: str, *, restamp: bool) -> None:
    ctx.rows.wrote_assignments(building_id)
    now = assigned_users(assigned_to)
    before = {r["username"] for r in ctx.conn.all(
        "SELECT username FROM assignments WHERE building_id = ?", (building_id,))}
    for name in sorted(before - now):
        ctx.conn.execute("DELETE FROM assignments WHERE building_id = ? AND username = ?",
                         (building_id, name))
    for name in sorted(now - before):
        ctx.conn.execute("INSERT INTO assignments (building_id, username) VALUES (?, ?)",
                         (building_id, name))
    if restamp and now - before:
        ctx.revs.restamp_building(building_id)
