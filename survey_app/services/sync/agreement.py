"""The end-of-sync check, laptop side: the same "key:value" lines the server digests
(survey_app.server.agreement), over what this laptop holds. A difference is looked up key by
key: what the server lacks goes back in the outbox and is pushed, what the laptop lacks is
pulled again from revision 0; what cannot be repaired is reported, never ignored.

A home the office has given to someone else leaves this user's scope: the server no longer
sends its changes, so the laptop's copy of it (and of its surveys, links, conflicts) falls
behind. The laptop keeps that copy as it is (its surveyor's drafts and any work not yet sent
stay here, nothing is deleted), and a record the server holds outside the scope with another
value is "released", not a disagreement. Unless local work on it is still waiting in the
outbox: then it is "stranded", reported until it goes (the push refuses it as 担当外, shown on
the survey, until the home is assigned back). Versions never change, so a version that differs
is always a disagreement. The released homes are kept (sync_released) so their surveys show
担当外 on this laptop until a check finds them assigned back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from survey_app.services.sync.items import building_fields
from survey_app.services.sync.outbox import Outbox
from survey_app.store.canonical import canonical
from survey_app.store.db import Store
from survey_app.store.ids import now_iso
from survey_app.sync.client import SyncClient
from survey_app.sync.protocol import SUMMARY_KINDS, digest

# Outbox kind and survey id of a key of each summary kind (what to re-send).
_RESEND = {"buildings": "building", "surveys": "survey", "versions": "version",
           "links": "photo_link"}


@dataclass
class Disagreement:
    kind: str
    server_only: list[str] = field(default_factory=list)
    local_only: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    stranded: list[str] = field(default_factory=list)   # no longer ours, local work waiting
    released: list[str] = field(default_factory=list)   # no longer ours, kept as it was

    @property
    def empty(self) -> bool:
        """Released records are no disagreement; stranded ones are (a pull cannot fix them)."""
        return not (self.server_only or self.local_only or self.different or self.stranded)


def local_pairs(store: Store, kind: str) -> dict[str, str]:
    db = store.db
    if kind == "buildings":
        rows = db.query("SELECT * FROM buildings")
        return {r["id"]: hashlib.sha256(canonical(building_fields(r)).encode()).hexdigest()
                for r in rows}
    if kind == "surveys":
        rows = db.execute("SELECT id, head_version_id, status FROM surveys").fetchall()
        # "draft" is a laptop-only state: the server knows the survey as not surveyed yet.
        return {i: f"{h or ''}|{'unsurveyed' if s == 'draft' else s}" for i, h, s in rows}
    if kind == "versions":
        return dict(db.execute("SELECT id, content_hash FROM survey_versions").fetchall())
    if kind == "links":
        return {f"{s}:{h}": t for s, h, t in db.execute(
            "SELECT survey_id, sha256, tag FROM survey_photos").fetchall()}
    return dict(db.execute("SELECT id, status FROM sync_conflicts").fetchall())


def compare(store: Store, client: SyncClient, summary: dict | None = None
            ) -> list[Disagreement]:
    """The kinds whose digests differ, each with the keys that differ; `summary` as the last
    pull brought it, else asked for."""
    summary = (summary or client.summary())["kinds"]
    out = []
    for kind in SUMMARY_KINDS:
        mine = local_pairs(store, kind)
        count, hexdigest = digest(f"{k}:{v}" for k, v in mine.items())
        theirs = summary.get(kind)
        if theirs and (theirs["count"], theirs["digest"]) == (count, hexdigest):
            continue
        out.append(_diff(store, kind, mine, client))
    _remember_released(store, next((d.released for d in out if d.kind == "buildings"), []))
    return [d for d in out if not d.empty]


def _remember_released(store: Store, building_ids: list[str]) -> None:
    """Keep the check's answer for the survey states (担当外): exactly the homes released now,
    so one assigned back is no longer marked after the next check. Written only on a change:
    most checks agree and find none."""
    kept = {r[0] for r in store.db.execute("SELECT building_id FROM sync_released")}
    if kept == set(building_ids):
        return
    with store.atomic():
        store.db.execute("DELETE FROM sync_released")
        store.db.conn.executemany("INSERT INTO sync_released (building_id, at) VALUES (?, ?)",
                                  [(b, now_iso()) for b in building_ids])


def _diff(store: Store, kind: str, mine: dict[str, str], client: SyncClient) -> Disagreement:
    server = client.manifest(kind)
    result = Disagreement(kind)
    result.server_only = sorted(set(server) - set(mine))
    extra = sorted(set(mine) - set(server))
    held = client.have(kind, extra) if extra else {}
    result.local_only = [k for k in extra if k not in held]
    result.different = sorted(k for k in set(mine) & set(server) if mine[k] != server[k])
    # Held by the server outside this user's scope (no longer assigned to them), and changed
    # there since: the laptop keeps its copy; only local work still waiting to go matters.
    gone = [k for k in extra if k in held and held[k] != mine[k]]
    if kind == "versions":
        result.different += gone
        return result
    waiting = _waiting(store, kind) if gone else set()
    result.stranded = [k for k in gone if k in waiting or k.split(":", 1)[0] in waiting]
    result.released = [k for k in gone if k not in result.stranded]
    return result


def _waiting(store: Store, kind: str) -> set[str]:
    """Keys of `kind` (for links: their surveys) that entries still in the outbox touch: the
    record itself, or for a building any record of its surveys."""
    db = store.db
    if kind == "buildings":
        return {r[0] for r in db.execute(
            "SELECT entity_id FROM sync_outbox WHERE kind = 'building' UNION SELECT"
            " s.building_id FROM sync_outbox o JOIN surveys s ON s.id = o.survey_id")}
    if kind in ("surveys", "links"):
        return {r[0] for r in db.execute(
            "SELECT survey_id FROM sync_outbox WHERE survey_id IS NOT NULL")}
    return set()  # conflicts: the office decides them on the server, nothing goes from here


def requeue(store: Store, diffs: list[Disagreement]) -> int:
    """Put what the server lacks back in the outbox; returns how many entries."""
    outbox = Outbox(store)
    n = 0
    for d in diffs:
        kind = _RESEND.get(d.kind)
        if kind is None:
            continue
        for key in d.local_only:
            outbox.enqueue(kind, key, _survey_of(store, kind, key))
            n += 1
    return n


def _survey_of(store: Store, kind: str, key: str) -> str | None:
    if kind == "photo_link":
        return key.split(":", 1)[0]
    if kind == "survey":
        return key
    if kind == "version":
        row = store.db.execute("SELECT survey_id FROM survey_versions WHERE id = ?",
                               [key]).fetchone()
        return row[0] if row else None
    return None
