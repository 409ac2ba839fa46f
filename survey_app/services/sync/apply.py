"""Applying the server's changes to the laptop's store, one page per transaction.

Everything in a page is checked before it is written (shapes by survey_app.sync.replies, version
content hashes here); any fault rolls the whole page back, so a bad reply stores nothing. The
outbox triggers are held off while applying (sync_guard), so the server's changes are not sent
back to it. A building or survey head with a local change still waiting to be sent is left as
it is: the push result or the next sync reconciles it.

A survey's `surveyor` is part of its identity on the server and never changes there, but the
office reassigns open surveys by changing the building's `assigned_to` (services/office_tasks).
So the laptop takes the surveyor of each open survey from its building's `assigned_to` when it
applies either: the list then names whoever the home is assigned to now. Only the laptop's own
column changes; nothing is queued (the outbox sends a survey only when it is created).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Iterator

from survey_app.domain.text import address_key
from survey_app.i18n import tr
from survey_app.services.sync.items import META_FIELDS
from survey_app.store.canonical import JUDGEMENT_KEYS, canonical, judged_tuple
from survey_app.store.canonical import version_content_hash as content_hash
from survey_app.store.db import Store
from survey_app.store.ids import now_iso
from survey_app.sync.errors import ProtocolError
from survey_app.sync.protocol import assigned_users, normalize_building_fields


@contextlib.contextmanager
def guarded(store: Store) -> Iterator[None]:
    """One transaction in which the outbox triggers stay quiet and foreign keys are checked at
    commit (a page may hold a child before its parent)."""
    with store.atomic():
        store.db.execute("PRAGMA defer_foreign_keys = ON")
        store.db.execute("UPDATE sync_guard SET applying = 1 WHERE id = 1")
        yield
        store.db.execute("UPDATE sync_guard SET applying = 0 WHERE id = 1")


def pending(store: Store, kind: str) -> set[str]:
    column = "survey_id" if kind == "version" else "entity_id"
    return {r[0] for r in store.db.execute(
        f"SELECT {column} FROM sync_outbox WHERE kind = ?", [kind])}


def apply_changes(store: Store, changes: list[dict], *, me: str = "") -> set[str]:
    """Apply one page (call inside `guarded`); returns the surveys whose head may move. `me`
    is the signed-in user, the surveyor an open survey gets when its home names several."""
    touched: set[str] = set()
    busy_buildings = pending(store, "building")
    for change in changes:
        kind, data = change["entity"], change["data"]
        if change["op"] == "delete":
            _delete(store, kind, change["id"])
        elif kind == "building":
            if data["id"] not in busy_buildings:
                put_building(store, data, me=me)
        elif kind == "survey":
            _put_survey(store, data, me=me)
        else:
            _PUT[kind](store, data)
        if kind in ("survey", "version") and data:
            touched.add(data["id"] if kind == "survey" else data["survey_id"])
    return touched


def _delete(store: Store, kind: str, key: str) -> None:
    if kind == "photo_link" and ":" in key:
        sid, sha = key.split(":", 1)
        store.db.execute("DELETE FROM survey_photos WHERE survey_id = ? AND sha256 = ?",
                         [sid, sha])


def _put_disaster(store: Store, d: dict) -> None:
    store.db.execute(
        "INSERT INTO disasters (id, name, hazard, occurred_on, municipality_code,"
        " municipality_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
        " SET name = excluded.name, hazard = excluded.hazard, occurred_on ="
        " excluded.occurred_on, municipality_code = excluded.municipality_code,"
        " municipality_name = excluded.municipality_name",
        [d["id"], d["name"], d["hazard"], d["occurred_on"], d["municipality_code"],
         d["municipality_name"], d.get("created_at") or now_iso()])


def put_building(store: Store, b: dict, *, me: str = "") -> None:
    try:
        fields = normalize_building_fields(b["fields"])
    except ValueError as err:
        raise ProtocolError(tr("sync.bad_reply", where="building.fields",
                               expected=str(err))) from None
    now = now_iso()
    row = {**fields, "address": fields["address"] or "", "address_key":
           address_key(fields["address"] or ""), "updated_at": now}
    cols = list(row)
    store.db.execute(
        f"INSERT INTO buildings (id, disaster_id, created_at, {', '.join(cols)})"
        f" VALUES (?, ?, ?, {', '.join('?' * len(cols))}) ON CONFLICT (id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols),
        [b["id"], b["disaster_id"], b.get("created_at") or now, *row.values()])
    store.db.execute("UPDATE surveys SET address = ?, applicant = ?, area = ?"
                     " WHERE building_id = ?", [row["address"], row["owner_name"] or "",
                                                row["area"] or "", b["id"]])
    store.db.execute("INSERT INTO sync_base (kind, entity_id, value) VALUES ('building', ?, ?)"
                     " ON CONFLICT (kind, entity_id) DO UPDATE SET value = excluded.value",
                     [b["id"], canonical(fields)])
    _follow_assignment(store, b["id"], me=me)


def _follow_assignment(store: Store, building_id: str, *, me: str = "",
                      survey_id: str | None = None) -> None:
    """Give the open surveys of the building (or just `survey_id`) the surveyor its
    `assigned_to` names. Open means open on both sides: not completed here, and not completed
    on the server either (its head version may still be on its way in a later page)."""
    row = store.db.execute("SELECT assigned_to FROM buildings WHERE id = ?",
                           [building_id]).fetchone()
    names = assigned_users(row[0] if row else "")
    if not names:
        return  # an unassigned home keeps whatever surveyor its surveys have
    sql = ("SELECT s.id, s.surveyor FROM surveys s LEFT JOIN sync_heads h ON h.survey_id = s.id"
           " WHERE s.building_id = ? AND s.status IN ('unsurveyed', 'draft')"
           " AND COALESCE(h.status, 'unsurveyed') = 'unsurveyed'")
    params = [building_id]
    if survey_id is not None:
        sql, params = sql + " AND s.id = ?", [building_id, survey_id]
    for sid, current in store.db.execute(sql, params).fetchall():
        name = _surveyor_of(names, me=me, current=current)
        if name != current:
            store.db.execute("UPDATE surveys SET surveyor = ? WHERE id = ?", [name, sid])


def _surveyor_of(names: set[str], *, me: str, current: str) -> str:
    """One of `names` (never empty): this laptop's user if named, else the survey's current
    surveyor if still named (no needless change), else the first name in order."""
    if me in names:
        return me
    return current if current in names else sorted(names)[0]


def _put_survey(store: Store, s: dict, *, me: str = "") -> None:
    building = store.db.execute("SELECT address, owner_name, area FROM buildings WHERE id = ?",
                                [s["building_id"]]).fetchone() or ("", "", "")
    store.db.execute(
        "INSERT INTO surveys (id, building_id, disaster_id, stage, hazard, status, surveyor,"
        " previous_survey_id, address, applicant, area, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, 'unsurveyed', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        [s["id"], s["building_id"], s["disaster_id"], s["stage"], s["hazard"], s["surveyor"],
         s["previous_survey_id"], *(v or "" for v in building), s["created_at"], now_iso()])
    store.db.execute(
        "INSERT INTO sync_heads (survey_id, head_version_id, status) VALUES (?, ?, ?)"
        " ON CONFLICT (survey_id) DO UPDATE SET head_version_id = excluded.head_version_id,"
        " status = excluded.status", [s["id"], s["head_version_id"], s["status"]])
    _follow_assignment(store, s["building_id"], me=me, survey_id=s["id"])


def _put_version(store: Store, v: dict) -> None:
    judgement = {k: v["judgement"].get(k) for k in JUDGEMENT_KEYS}
    text = canonical(v["observations"])
    if content_hash(text, judged_tuple(judgement)) != v["content_hash"]:
        raise ProtocolError(tr("sync.version_hash_mismatch", id=v["id"][:8]))
    have = store.db.execute("SELECT content_hash FROM survey_versions WHERE id = ?",
                            [v["id"]]).fetchone()
    if have is not None:
        if have[0] != v["content_hash"]:
            raise ProtocolError(tr("sync.version_clash", id=v["id"][:8]))
        return
    store.db.execute(
        "INSERT INTO survey_versions (id, survey_id, version_no, base_version_id, observations,"
        " grade_code, grade, damage_ratio, rules_version, rules_hash, form_hash, explanation,"
        " content_hash, author, reason, created_at) VALUES (?, ?, (SELECT"
        " COALESCE(MAX(version_no), 0) + 1 FROM survey_versions WHERE survey_id = ?),"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [v["id"], v["survey_id"], v["survey_id"], v["base_version_id"], text,
         *judged_tuple(judgement), v["form_hash"] or "",
         json.dumps(v["explanation"], ensure_ascii=False), v["content_hash"], v["author"],
         v["reason"], v["created_at"]])


def _put_link(store: Store, link: dict) -> None:
    meta = {k: val for k, val in link["meta"].items()
            if k in META_FIELDS and isinstance(val, str | int | float | type(None))
            and not isinstance(val, bool)}
    thumb = None
    if link["thumbnail"]:
        try:
            thumb = base64.b64decode(link["thumbnail"], validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(tr("sync.bad_reply", where="photo_link.thumbnail",
                                   expected="base64")) from None
    cols = ["sha256", "imported_at", "thumbnail", *meta]
    store.db.execute(
        f"INSERT INTO photos ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        " ON CONFLICT (sha256) DO NOTHING",
        [link["sha256"], now_iso(), thumb, *meta.values()])
    store.db.execute(
        "INSERT INTO survey_photos (survey_id, sha256, tag, note, added_at) VALUES (?,?,?,?,?)"
        " ON CONFLICT (survey_id, sha256) DO UPDATE SET tag = excluded.tag,"
        " note = excluded.note", [link["survey_id"], link["sha256"], link["tag"],
                                  link["note"], now_iso()])


def _put_conflict(store: Store, c: dict) -> None:
    store.db.execute(
        "INSERT INTO sync_conflicts (id, kind, survey_id, building_id, ours_version_id,"
        " theirs_version_id, fields, status, resolution_version_id, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
        " resolution_version_id = excluded.resolution_version_id,"
        " updated_at = excluded.updated_at",
        [c["id"], c["kind"], c["survey_id"], c["building_id"], c["ours_version_id"],
         c["theirs_version_id"], canonical(c["fields"]), c["status"],
         c["resolution_version_id"], now_iso()])


_PUT = {"disaster": _put_disaster, "version": _put_version,
        "photo_link": _put_link, "conflict": _put_conflict}


def settle_heads(store: Store, survey_ids: set[str]) -> None:
    """Make each survey's head the server's, unless a local version is still waiting to go."""
    waiting = pending(store, "version")
    for sid in sorted(survey_ids - waiting):
        row = store.db.execute(
            "SELECT h.head_version_id, h.status, s.status, s.head_version_id FROM sync_heads h"
            " JOIN surveys s ON s.id = h.survey_id WHERE h.survey_id = ?", [sid]).fetchone()
        if row is None:
            continue
        head, status, local_status, local_head = row
        if status == "unsurveyed" and local_status == "draft":
            status = "draft"  # a local draft stays a draft until it is completed
        if head is None or head == local_head:
            store.db.execute("UPDATE surveys SET status = ? WHERE id = ? AND status <> ?",
                             [status, sid, status])
            continue
        _set_head(store, sid, head, status)


def _set_head(store: Store, sid: str, head: str, status: str) -> None:
    v = store.db.execute("SELECT grade_code, grade, damage_ratio, rules_version FROM"
                         " survey_versions WHERE id = ? AND survey_id = ?", [head, sid]).fetchone()
    if v is None:
        return  # the head version comes in a later page
    count = store.db.execute("SELECT MAX(version_no) FROM survey_versions WHERE survey_id = ?",
                             [sid]).fetchone()[0]
    store.db.execute(
        "UPDATE surveys SET head_version_id = ?, version_count = ?, status = ?, grade_code = ?,"
        " grade = ?, damage_ratio = ?, rules_version = ?, updated_at = ? WHERE id = ?",
        [head, count, status, *v, now_iso(), sid])
