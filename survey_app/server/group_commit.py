"""Group commit for the SQLite backend: writers that queue up share one transaction and one
flush to disk.

SQLite has one writer at a time, and each COMMIT waits for an fsync (5–15 ms on a busy disk).
When a hundred laptops come back online together, two hundred requests would each queue for
the lock and for their own flush, and the last waits for all of them. Here a writer still runs
alone (the lock), inside its own SAVEPOINT, but it leaves the transaction open when another
writer is already waiting; the last writer of the group commits for everyone. Each writer's
`with db.write()` returns only after the commit that holds its work, so "returned" still means
"durable", and one writer's failure rolls back only its own savepoint.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any

MAX_GROUP = 64  # writers per transaction: bounds what one failed commit can take back


class _Group:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.members = 0


class GroupCommit:
    def __init__(self, connect: Callable[[], sqlite3.Connection],
                 cross_process: Callable[[], contextlib.AbstractContextManager]) -> None:
        self._connect = connect
        self._cross_process = cross_process  # held from BEGIN to COMMIT (uvicorn workers)
        self._lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._waiting = 0
        self._conn: sqlite3.Connection | None = None
        self._group: _Group | None = None
        self._held: contextlib.ExitStack | None = None
        self.commits = 0  # for the tests and the curious: how many flushes served the writers

    @contextlib.contextmanager
    def member(self) -> Iterator[sqlite3.Connection]:
        with self._count_lock:
            self._waiting += 1
        with self._lock:
            with self._count_lock:
                self._waiting -= 1
            group = self._join()
            try:
                yield from self._savepoint(group)
            finally:
                if self._waiting == 0 or group.members >= MAX_GROUP:
                    self._commit(group)
        group.done.wait()
        if group.error is not None:
            raise group.error

    def _join(self) -> _Group:
        if self._group is None:
            if self._conn is None:
                self._conn = self._connect()
            held = contextlib.ExitStack()
            held.enter_context(self._cross_process())
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                held.close()
                raise
            self._held, self._group = held, _Group()
        self._group.members += 1
        return self._group

    def _savepoint(self, group: _Group) -> Iterator[sqlite3.Connection]:
        name = f"writer_{group.members}"
        conn = self._conn
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    def _commit(self, group: _Group) -> None:
        try:
            self._conn.execute("COMMIT")
            self.commits += 1
        except BaseException as err:  # the disk is full, say: every member hears of it
            group.error = err
            with contextlib.suppress(Exception):
                self._conn.execute("ROLLBACK")
        finally:
            self._held.close()
            self._group, self._held = None, None
            group.done.set()

    def close(self) -> Any:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
