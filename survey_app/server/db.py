"""The server's database: SQLite (stdlib sqlite3) or PostgreSQL (psycopg 3) behind one tiny
adapter. SQL is written once with `?` placeholders and portable syntax (ON CONFLICT, RETURNING);
the PostgreSQL dialect rewrites the placeholders and a few type names.

Transactions are explicit: `db.write()` takes the write lock up front (BEGIN IMMEDIATE on
SQLite), `db.read()` gives one consistent snapshot for a multi-query read.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from survey_app.server.group_commit import GroupCommit


class DatabaseUnavailable(Exception):
    """The database cannot be reached (PostgreSQL down, pool exhausted)."""


class Conn:
    """One connection inside one transaction; rows come back as dicts."""

    def __init__(self, raw: Any, dialect: str, *, begin: str = "") -> None:
        self.raw = raw
        self.dialect = dialect
        self._sp = 0
        self.committed = False
        # PostgreSQL: BEGIN goes out with the first statement, one wait fewer per transaction.
        self._begin = begin

    @property
    def begun(self) -> bool:
        return not self._begin

    def _send_begin(self) -> None:
        """Send a pending BEGIN: queued when inside a pipeline, else at once."""
        if self._begin:
            begin, self._begin = self._begin, ""
            self.raw.execute(begin)

    def _raw_execute(self, sql: str, params: tuple) -> Any:
        if not self._begin:
            return self.raw.execute(sql, params)
        with self.raw.pipeline():  # BEGIN and the statement in one round trip
            self._send_begin()
            return self.raw.execute(sql, params)

    def execute_and_commit(self, sql: str, params: tuple | list = ()) -> None:
        """Run the transaction's last statement and COMMIT in one round trip (a psycopg
        pipeline): locks it takes are held only for the server-side moment of the commit."""
        if self.dialect == "sqlite":
            self.execute(sql, params)
            return
        with self.raw.pipeline():
            self._send_begin()
            self.raw.execute(_sql(sql, self.dialect), tuple(params))
            self.raw.execute("COMMIT")
        self.committed = True

    @contextlib.contextmanager
    def pipelined(self) -> Iterator[None]:
        """PostgreSQL: statements whose results are not read go out without waiting for the
        server; reading a result sends everything queued and waits once. Under load every wait
        is a trip through a busy scheduler, so a push costs a handful of waits, not one per
        statement. An error may then surface at a later statement or at the end of the block:
        callers wrap the block in a savepoint and redo the work without it (see push.py).
        SQLite runs in-process: nothing to gain, nothing changes."""
        if self.dialect == "sqlite":
            yield
            return
        with self.raw.pipeline():
            self._send_begin()
            yield

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self._raw_execute(_sql(sql, self.dialect), tuple(params))

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        if self.dialect == "sqlite":
            self.raw.executemany(sql, rows)
            return
        with self.raw.pipeline(), self.raw.cursor() as cur:
            self._send_begin()
            cur.executemany(_sql(sql, self.dialect), rows)

    def insert_rows(self, head: str, rows: list[tuple], tail: str = "", *,
                    commit: bool = False) -> None:
        """`head` VALUES (…),(…) `tail` for many rows in one statement per 500 rows: for the
        database one statement, not one per row. `commit`: the last one commits (see
        execute_and_commit)."""
        parts = [rows[i:i + 500] for i in range(0, len(rows), 500)]
        for n, part in enumerate(parts):
            row = "(" + ",".join("?" * len(part[0])) + ")"
            sql = f"{head} VALUES {','.join([row] * len(part))} {tail}"
            params = [value for r in part for value in r]
            if commit and n == len(parts) - 1:
                self.execute_and_commit(sql, params)
            else:
                self.execute(sql, params)

    def one(self, sql: str, params: tuple | list = ()) -> dict | None:
        row = self.execute(sql, params).fetchone()
        return None if row is None else dict(row)

    def all(self, sql: str, params: tuple | list = ()) -> list[dict]:
        return [dict(r) for r in self.execute(sql, params).fetchall()]

    def scalar(self, sql: str, params: tuple | list = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else next(iter(dict(row).values()))

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """All-or-nothing for one item of a batch, inside the batch's transaction."""
        self._sp += 1
        name = f"item_{self._sp}"
        self._raw_execute(f"SAVEPOINT {name}", ())
        try:
            yield
        except BaseException:
            self.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.raw.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.raw.execute(f"RELEASE SAVEPOINT {name}")


@lru_cache(maxsize=512)
def _sql(sql: str, dialect: str) -> str:
    if dialect == "sqlite":
        return sql
    return sql.replace("?", "%s")


class Database:
    def __init__(self, url: str, *, pool_size: int = 12) -> None:
        self.url = url
        parts = urlsplit(url)
        if parts.scheme == "sqlite":
            self.dialect = "sqlite"
            self._path = Path(unquote(parts.path))
            self._path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self._path.with_name(self._path.name + ".writelock")
            self._writers = GroupCommit(self._open_sqlite, lambda: _file_lock(lock_path))
        elif parts.scheme in ("postgresql", "postgres"):
            self.dialect = "postgresql"
        else:
            raise ValueError(f"unsupported database URL scheme: {parts.scheme!r}")
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        # Readers have their own connections: writers waiting on row locks never starve them.
        self._pools = {"read": _PgPool(url, max(4, pool_size // 2)),
                       "write": _PgPool(url, pool_size)}

    # -- connections ------------------------------------------------------------------------

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open_sqlite()  # one reader per worker thread
        return conn

    def _open_sqlite(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN ourselves. The writers' connection moves
        # between worker threads, one at a time (group_commit.py).
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False,
                               timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        with self._lock:
            self._all.append(conn)
        return conn

    def prewarm(self, readers: int, writers: int) -> None:
        """Open PostgreSQL connections now, not in the first burst of requests (a new one
        costs the database a process start, and its statements are not yet prepared)."""
        if self.dialect == "postgresql":
            self._pools["read"].prewarm(readers)
            self._pools["write"].prewarm(writers)

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Conn]:
        if self.dialect != "sqlite":
            with self._tx("BEGIN", "write") as conn:
                yield conn
            return
        # SQLite has one writer: queue for it here rather than in SQLite's busy handler,
        # which polls with sleeps of up to 100 ms, and share commits (group_commit.py).
        with self._writers.member() as raw:
            yield Conn(raw, self.dialect)

    @contextlib.contextmanager
    def read(self) -> Iterator[Conn]:
        if self.dialect == "sqlite":
            with self._tx("BEGIN", "read") as conn:
                yield conn
            return
        # Pipelined: BEGIN goes out with the first query and COMMIT waits for nothing, so a
        # read costs one round trip per query (a read has no savepoints to recover to).
        with self._raw("read") as raw:
            conn = Conn(raw, self.dialect)
            try:
                with raw.pipeline():
                    raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    yield conn
                    raw.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    raw.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """One statement, which is its own snapshot: no BEGIN and COMMIT to wait for."""
        if self.dialect == "sqlite":
            with self.read() as conn:
                return conn.all(sql, params)
        with self._raw("read") as raw:
            return [dict(r) for r in raw.execute(_sql(sql, self.dialect), tuple(params))]

    @contextlib.contextmanager
    def _tx(self, begin: str, kind: str) -> Iterator[Conn]:
        with self._raw(kind) as raw:
            if self.dialect == "sqlite":
                raw.execute(begin)
                conn = Conn(raw, self.dialect)
            else:
                conn = Conn(raw, self.dialect, begin=begin)
            try:
                yield conn
            except BaseException:
                if conn.begun:
                    with contextlib.suppress(Exception):
                        raw.execute("ROLLBACK")
                raise
            if conn.begun and not conn.committed:
                raw.execute("COMMIT")

    @contextlib.contextmanager
    def _raw(self, kind: str) -> Iterator[Any]:
        if self.dialect == "sqlite":
            yield self._sqlite()
            return
        with self._pools[kind].connection() as conn:
            yield conn

    def close(self) -> None:
        if self.dialect == "sqlite":
            self._writers.close()
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
        for pool in self._pools.values():
            pool.close()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Writers of several server processes (uvicorn workers) queue on an OS lock, which
    blocks without polling; where there is no fcntl (Windows) the busy handler remains."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class _PgPool:
    """A small pool of autocommit psycopg connections (BEGIN/COMMIT are ours); a connection
    that broke or was left inside a transaction is closed, not reused."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size = url, size
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._lock = threading.Lock()
        self._opened = 0
        self._all: list[Any] = []

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        conn = self._take()
        try:
            yield conn
        except BaseException:
            if conn.closed or conn.info.transaction_status != 0:
                self._discard(conn)
                conn = None
            raise
        finally:
            if conn is not None:
                self._idle.put(conn)

    def prewarm(self, count: int) -> None:
        conns = [self._take() for _ in range(min(count, self.size))]
        for conn in conns:
            self._idle.put(conn)

    def _take(self) -> Any:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._opened < self.size
            if grow:
                self._opened += 1
        if not grow:
            try:
                return self._idle.get(timeout=30)
            except queue.Empty:
                raise DatabaseUnavailable("connection pool exhausted") from None
        return self._open()

    def _open(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                   connect_timeout=10)
        except psycopg.OperationalError as err:
            with self._lock:
                self._opened -= 1
            raise DatabaseUnavailable(type(err).__name__) from err
        with self._lock:
            self._all.append(conn)
        return conn

    def _discard(self, conn: Any) -> None:
        with contextlib.suppress(Exception):
            conn.close()
        with self._lock:
            self._opened -= 1
            if conn in self._all:
                self._all.remove(conn)

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
