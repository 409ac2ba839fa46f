"""Bulk version import (register imports, sync pulls, benchmarks): executemany in chunks,
one audit entry per chunk holding a digest of every version's content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from survey_app.store.canonical import canonical, judged_tuple, plain_json, version_content_hash
from survey_app.store.ids import new_id, now_iso

if TYPE_CHECKING:
    from survey_app.store.db import Store

CHUNK = 20000  # rows per transaction: each commit is an fsync
_INSERT = (
    "INSERT INTO survey_versions (id, survey_id, version_no, base_version_id, observations,"
    " grade_code, grade, damage_ratio, rules_version, rules_hash, form_hash, explanation,"
    " content_hash, author, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_HEAD = (
    "UPDATE surveys SET head_version_id = ?, version_count = ?, status = 'completed',"
    " grade_code = ?, grade = ?, damage_ratio = ?, rules_version = ?, updated_at = ?"
    " WHERE id = ?"
)


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _heads(store: Store, survey_ids: list[str]) -> dict[str, tuple[str | None, int]]:
    marks = ",".join("?" * len(survey_ids))
    cur = store.db.execute(
        f"SELECT id, head_version_id, version_count FROM surveys WHERE id IN ({marks})",
        survey_ids)
    return {sid: (head, count) for sid, head, count in cur}


def _prepare(chunk: list[dict], heads: dict, now: str) -> tuple[list[tuple], list[tuple]]:
    inserts, updates = [], []
    for row in chunk:
        sid = row["survey_id"]
        if sid not in heads:
            raise KeyError(f"unknown survey {sid}")
        head, count = heads[sid]
        j = row["judgement"]
        # Sync and imports may hand over the canonical text they already hold.
        obs = row.get("observations_json") or canonical(row["observations"])
        judged = judged_tuple(j)
        content = version_content_hash(obs, judged)
        vid = row.get("version_id") or new_id()
        inserts.append((vid, sid, count + 1, head, obs, *judged, row.get("form_hash", ""),
                        plain_json(j.get("explanation", [])), content,
                        row.get("author", ""), row.get("reason", ""), now))
        updates.append((vid, count + 1, *judged[:4], now, sid))
        heads[sid] = (vid, count + 1)
    return inserts, updates


def import_versions(store: Store, rows: Iterable[dict], *, actor: str) -> int:
    total = 0
    for chunk in _chunks(rows):
        now = now_iso()
        with store.atomic() as db:
            heads = _heads(store, sorted({r["survey_id"] for r in chunk}))
            inserts, updates = _prepare(chunk, heads, now)
            db.conn.executemany(_INSERT, inserts)
            # In id order (UUIDv7 = insertion order) the updates walk the table sequentially.
            db.conn.executemany(_HEAD, sorted(updates, key=lambda u: u[-1]))
            digest = hashlib.sha256("".join(i[12] for i in inserts).encode()).hexdigest()
            store.audit.append(actor=actor, action="bulk_import", entity="survey_versions",
                               entity_id=inserts[0][0],
                               payload={"count": len(inserts), "digest": digest})
        total += len(inserts)
    return total
