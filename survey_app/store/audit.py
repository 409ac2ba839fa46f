"""The append-only audit log: each entry's hash covers the previous entry's hash.

Editing or deleting a row (triggers refuse it, but a determined user could drop them) breaks the
chain, and `verify()` names the first entry that no longer matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlite_utils import Database

from survey_app.store.canonical import canonical
from survey_app.store.ids import now_iso

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


def entry_hash(prev_hash: str, fields: dict) -> str:
    body = canonical({k: fields[k] for k in ("at", "actor", "action", "entity", "entity_id",
                                            "payload")})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def last_hash(self) -> str:
        row = self.db.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return row[0] if row else GENESIS

    def append(self, *, actor: str, action: str, entity: str, entity_id: str,
               payload: object) -> str:
        """Append one entry; call inside the same transaction as the change it records."""
        fields = {"at": now_iso(), "actor": actor, "action": action, "entity": entity,
                  "entity_id": entity_id, "payload": canonical(payload)}
        prev = self.last_hash()
        digest = entry_hash(prev, fields)
        self.db.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, payload, prev_hash, hash)"
            " VALUES (:at, :actor, :action, :entity, :entity_id, :payload, :prev, :hash)",
            {**fields, "prev": prev, "hash": digest},
        )
        return digest

    def verify(self) -> ChainReport:
        prev = GENESIS
        count = 0
        cursor = self.db.execute(
            "SELECT seq, at, actor, action, entity, entity_id, payload, prev_hash, hash"
            " FROM audit_log ORDER BY seq"
        )
        cols = [c[0] for c in cursor.description]
        for values in cursor:
            row = dict(zip(cols, values, strict=True))
            count += 1
            if row["prev_hash"] != prev:
                return ChainReport(False, count, row["seq"], "prev_hash does not match")
            if entry_hash(prev, row) != row["hash"]:
                return ChainReport(False, count, row["seq"], "hash does not match the entry")
            prev = row["hash"]
        return ChainReport(True, count)

    def entries_for(self, entity: str, entity_id: str) -> list[dict]:
        return list(self.db.query(
            "SELECT seq, at, actor, action, payload FROM audit_log"
            " WHERE entity = ? AND entity_id = ? ORDER BY seq", [entity, entity_id]))
