"""Open the laptop's store: one SQLite file, WAL, foreign keys on, migrations applied.

Writes go through `Store.atomic()`, which takes the write lock up front (BEGIN IMMEDIATE) so a
multi-step write, its audit entry included, is all-or-nothing and never interleaves with another
process's write.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from survey_app.store import schema, search_blocks
from survey_app.store.audit import AuditLog


class Store:
    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self.audit = AuditLog(db)
        # Managers are imported here, not at module top, to keep each module's imports small.
        from survey_app.store.applications import Applications
        from survey_app.store.buildings import Buildings
        from survey_app.store.listing import Listing
        from survey_app.store.photos import PhotoRecords
        from survey_app.store.surveys import Surveys

        self.buildings = Buildings(self)
        self.surveys = Surveys(self)
        self.listing = Listing(self)
        self.photos = PhotoRecords(self)
        self.applications = Applications(self)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        conn = self.db.conn
        if conn.in_transaction:
            name = f"sp_{secrets.token_hex(8)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            if search_blocks.needs_refresh(self.db):
                search_blocks.refresh(self.db)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        self.db.close()


def connect(path: Path | str | None) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write is inside Store.atomic().
    target = ":memory:" if path is None else str(path)
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a laptop whose battery dies keeps every committed survey.
        conn.execute("PRAGMA synchronous = FULL")
    return conn


def open_store(path: Path | str | None) -> Store:
    """Open (creating if needed) the store at `path`; None gives an in-memory store for tests.
    Safe when several threads or processes open the same new file at once (see apply_all)."""
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Database(_connect_waiting(path))
    schema.apply_all(db)
    return Store(db, Path(path) if path is not None else None)


def _connect_waiting(path: Path | str | None, wait_s: float = 30.0) -> sqlite3.Connection:
    """connect(), waiting out another connection's first open. Switching a new file to WAL needs
    the file alone, and SQLite then answers "database is locked" at once instead of waiting
    (busy_timeout does not apply). Once the file is in WAL mode the switch is a no-op, so only
    the very first opens of a store can ever wait here."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return connect(path)
        except sqlite3.OperationalError as err:
            busy = getattr(err, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
