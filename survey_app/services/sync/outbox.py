"""The outbox: what this laptop changed and the server has not acknowledged yet.

Filled by triggers (survey_app.store.schema_sync); an entry leaves only when the server's reply
for it arrives, and only if the row did not change again meanwhile (`gen`). Failures stay, with
their reason, for the survey's state and for the next attempt.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from survey_app.services.sync import items
from survey_app.store.db import Store
from survey_app.store.ids import now_iso
from survey_app.sync.protocol import PUSH_KINDS


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    entity_id: str
    survey_id: str | None
    gen: int


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def entries(self) -> list[Entry]:
        """Pending entries, parents first; versions by survey and version number, so a base
        always goes before the versions built on it."""
        rows = self.db.execute(
            "SELECT o.seq, o.kind, o.entity_id, o.survey_id, o.gen FROM sync_outbox o"
            " LEFT JOIN survey_versions v ON o.kind = 'version' AND v.id = o.entity_id"
            " ORDER BY o.survey_id, v.version_no, o.seq").fetchall()
        entries = [Entry(*r) for r in rows]
        return sorted(entries, key=lambda e: PUSH_KINDS.index(e.kind))

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]

    def item(self, entry: Entry) -> dict | None:
        """The push item for an entry, from the current row (None if the row is gone)."""
        db = self.db
        if entry.kind == "photo_link":
            sid, sha = entry.entity_id.split(":", 1)
            link = _one(db, "SELECT * FROM survey_photos WHERE survey_id = ? AND sha256 = ?",
                        [sid, sha])
            photo = _one(db, "SELECT * FROM photos WHERE sha256 = ?", [sha])
            return None if link is None or photo is None else items.photo_link(link, photo)
        table = {"disaster": "disasters", "building": "buildings", "survey": "surveys",
                 "status": "surveys", "version": "survey_versions"}[entry.kind]
        row = _one(db, f"SELECT * FROM {table} WHERE id = ?", [entry.entity_id])
        if row is None:
            return None
        if entry.kind == "building":
            return items.building(row, self.base("building", row["id"]))
        if entry.kind == "version":
            return items.version(row, items.version_photos(self.store, row["survey_id"]))
        return getattr(items, entry.kind)(row)

    def base(self, kind: str, entity_id: str) -> dict | None:
        row = self.db.execute("SELECT value FROM sync_base WHERE kind = ? AND entity_id = ?",
                              [kind, entity_id]).fetchone()
        return json.loads(row[0]) if row else None

    def ack(self, entries: list[Entry]) -> None:
        with self.store.atomic():
            self.db.conn.executemany("DELETE FROM sync_outbox WHERE seq = ? AND gen = ?",
                                     [(e.seq, e.gen) for e in entries])
            sids = sorted({e.survey_id for e in entries if e.survey_id})
            self.db.conn.executemany("DELETE FROM sync_failures WHERE survey_id = ?",
                                     [(s,) for s in sids])

    def fail(self, entry: Entry, code: str, message: str) -> None:
        with self.store.atomic():
            self.db.execute("UPDATE sync_outbox SET attempts = attempts + 1, last_error = ?"
                            " WHERE seq = ?", [f"{code}: {message}"[:500], entry.seq])
            self.fail_surveys(self._surveys_of(entry), code, message)

    def fail_surveys(self, survey_ids: list[str] | set[str], code: str, message: str) -> None:
        """Record why these surveys could not be sent (shown as 失敗: reason)."""
        with self.store.atomic():
            self.db.conn.executemany(
                "INSERT INTO sync_failures (survey_id, code, message, at) VALUES (?,?,?,?)"
                " ON CONFLICT (survey_id) DO UPDATE SET code = excluded.code,"
                " message = excluded.message, at = excluded.at",
                [(sid, code, message[:300], now_iso()) for sid in sorted(survey_ids)])

    def _surveys_of(self, entry: Entry) -> list[str]:
        if entry.survey_id:
            return [entry.survey_id]
        if entry.kind == "building":
            return [r[0] for r in self.db.execute(
                "SELECT id FROM surveys WHERE building_id = ?", [entry.entity_id])]
        return []

    def enqueue(self, kind: str, entity_id: str, survey_id: str | None) -> None:
        """Put back something the end-of-sync check found missing on the server."""
        with self.store.atomic():
            self.db.execute(
                "INSERT INTO sync_outbox (kind, entity_id, survey_id, enqueued_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (kind, entity_id) DO UPDATE SET"
                " gen = gen + 1", [kind, entity_id, survey_id, now_iso()])


def _one(db, sql: str, params: list) -> dict | None:  # noqa: ANN001 - sqlite_utils.Database
    rows = list(db.query(sql, params))
    return rows[0] if rows else None
