"""Facts about a store file read through a plain connection: migrations, counts, checks.

Backups record them in their manifest and the support bundle reports them. They only read, so
they also work on a store that open_store would refuse or migrate (a damaged or newer one).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from sqlite_utils import Database

from survey_app.store.audit import AuditLog

MIGRATIONS_TABLE = "_sqlite_migrations"
# The tables worth counting for a person checking a backup or a support case.
COUNTED_TABLES = (
    "disasters", "buildings", "surveys", "survey_versions", "drafts", "photos", "survey_photos",
    "applications", "certificates", "audit_log", "sync_outbox", "sync_conflicts",
)


@dataclass(frozen=True)
class AuditStatus:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return Database(conn)[name].exists()


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this store, in the order they ran."""
    if not table_exists(conn, MIGRATIONS_TABLE):
        return []
    rows = conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY applied_at, rowid")
    return [r[0] for r in rows]


def known_migrations() -> list[str]:
    """The migrations this version of the app knows: those an empty store gets on opening."""
    from survey_app.store.db import open_store

    store = open_store(None)
    try:
        return applied_migrations(store.db.conn)
    finally:
        store.close()


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the tables that exist (a store from an older version lacks some)."""
    return {name: conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]
            for name in COUNTED_TABLES if table_exists(conn, name)}


def integrity(conn: sqlite3.Connection) -> str:
    """'ok', or SQLite's first complaints joined (PRAGMA integrity_check)."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    return "ok" if rows == ["ok"] else "; ".join(rows)


def audit_status(conn: sqlite3.Connection) -> AuditStatus:
    if not table_exists(conn, "audit_log"):
        return AuditStatus(False, 0, None, "no audit_log table")
    report = AuditLog(Database(conn)).verify()
    return AuditStatus(report.ok, report.entries, report.first_bad_seq, report.reason)
