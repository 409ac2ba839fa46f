"""The outbox: what this laptop changed and the server has not acknowledged yet.

Filled by triggers (survey_app.store.schema_sync); an entry leaves only when the server's reply
for it arrives, and only if the row did not change again meanwhile (`gen`). Failures stay, with
their reason, for the survey's state and for the next attempt.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from survey_app.services.sync import items
from survey_app.store.db import Store
from survey_app.store.ids import now_iso
from survey_app.sync.protocol import PUSH_KINDS

_TABLES = {"disaster": "disasters", "building": "buildings", "survey": "surveys",
           "status": "surveys", "version": "survey_versions"}


# Failures found on this laptop that say which photo and what to do, and the server's
# refusals that only follow from them (a record refused because its photos did not arrive).
SPECIFIC = ("photo_missing", "photo_damaged")
CONSEQUENCES = ("missing_blobs",)


def _quoted(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{c}'" for c in codes)  # our own constants, never input


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

    def items(self, entries: list[Entry]) -> list[tuple[Entry, dict | None]]:
        """Each entry with its push item, built from the current rows (None if the row is
        gone); rows are read in bulk, a query per kind and not per entry."""
        wanted: dict[str, list[str]] = defaultdict(list)
        for e in entries:
            wanted[e.kind].append(e.entity_id)
        rows = {(kind, r["id"]): r for kind, ids in wanted.items() if kind in _TABLES
                for r in self._rows(_TABLES[kind], "id", ids)}
        links = self._links(wanted.get("photo_link", []))
        bases = {r["entity_id"]: json.loads(r["value"]) for r in self._rows(
            "sync_base", "entity_id", wanted.get("building", []), "kind = 'building'")}
        versions = [rows[("version", v)] for v in wanted.get("version", [])
                    if ("version", v) in rows]
        photos: dict[str, list[str]] = defaultdict(list)
        for r in self._rows("survey_photos", "survey_id",
                            sorted({v["survey_id"] for v in versions})):
            photos[r["survey_id"]].append(r["sha256"])
        out = []
        for e in entries:
            row = links.get(e.entity_id) if e.kind == "photo_link" else rows.get((e.kind,
                                                                               e.entity_id))
            out.append((e, None if row is None else self._item(e, row, bases, photos)))
        return out

    @staticmethod
    def _item(e: Entry, row, bases: dict, photos: dict) -> dict:  # noqa: ANN001
        if e.kind == "photo_link":
            return items.photo_link(*row)
        if e.kind == "building":
            return items.building(row, bases.get(row["id"]))
        if e.kind == "version":
            return items.version(row, photos.get(row["survey_id"], []))
        return getattr(items, e.kind)(row)

    def _rows(self, table: str, column: str, keys: list[str], extra: str = "1 = 1"
              ) -> list[dict]:
        out: list[dict] = []
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            cur = self.db.execute(f"SELECT * FROM {table} WHERE {extra} AND {column} IN"
                                  f" ({','.join('?' * len(part))})", part)
            cols = [c[0] for c in cur.description]
            out.extend(dict(zip(cols, r, strict=True)) for r in cur.fetchall())
        return out

    def _links(self, keys: list[str]) -> dict[str, tuple[dict, dict]]:
        wanted = set(keys)
        sids = sorted({k.split(":", 1)[0] for k in keys})
        links = [r for r in self._rows("survey_photos", "survey_id", sids)
                 if f"{r['survey_id']}:{r['sha256']}" in wanted]
        photos = {r["sha256"]: r for r in self._rows("photos", "sha256",
                                                     sorted({r["sha256"] for r in links}))}
        return {f"{r['survey_id']}:{r['sha256']}": (r, photos[r["sha256"]]) for r in links
                if r["sha256"] in photos}

    def ack(self, entries: list[Entry]) -> None:
        with self.store.atomic():
            self.db.conn.executemany("DELETE FROM sync_outbox WHERE seq = ? AND gen = ?",
                                     [(e.seq, e.gen) for e in entries])
            sids = sorted({e.survey_id for e in entries if e.survey_id})
            self.db.conn.executemany("DELETE FROM sync_failures WHERE survey_id = ?",
                                     [(s,) for s in sids])

    def fail(self, entry: Entry, code: str, message: str, *, detail: str = "") -> None:
        """`message` is the user's sentence; the entry keeps the code and the server's own
        detail (for the support bundle), which the user never reads."""
        with self.store.atomic():
            self.db.execute("UPDATE sync_outbox SET attempts = attempts + 1, last_error = ?"
                            " WHERE seq = ?", [f"{code}: {detail or message}"[:500], entry.seq])
            self.fail_surveys(self._surveys_of(entry), code, message)

    def fail_surveys(self, survey_ids: list[str] | set[str], code: str, message: str) -> None:
        """Record why these surveys could not be sent (shown as 失敗: reason). A consequence
        never hides its cause: the server's "photos missing" that follows our own "this photo
        is damaged" keeps the damaged photo as the reason, since that says what to do."""
        with self.store.atomic():
            self.db.conn.executemany(
                "INSERT INTO sync_failures (survey_id, code, message, at) VALUES (?,?,?,?)"
                " ON CONFLICT (survey_id) DO UPDATE SET code = excluded.code,"
                " message = excluded.message, at = excluded.at"
                f" WHERE NOT (sync_failures.code IN ({_quoted(SPECIFIC)})"
                f" AND excluded.code IN ({_quoted(CONSEQUENCES)}))",
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
