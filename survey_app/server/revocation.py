"""Word to every server process that tokens were revoked (a user disabled, a password reset, an
expiry changed), so the token cache (auth.TokenCache) drops what it holds at once, even when the
change was made by another process: another uvicorn worker or `survey-app users` on the
command line.

SQLite: a small stamp file beside the database file, rewritten after each change; every process
that uses that database sees it. PostgreSQL: NOTIFY in the changing transaction, heard by one
LISTEN connection per process. While that connection is down nobody can tell what was missed,
so the cache is not trusted (every request asks the database) until it is back.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from survey_app.server.db import Conn

CHANNEL = "survey_app_revoked"


def announce(conn: Conn) -> None:
    """Inside the transaction that revokes: PostgreSQL delivers the notice on commit."""
    if conn.dialect == "postgresql":
        conn.execute(f"NOTIFY {CHANNEL}")


def announce_committed(db_url: str) -> None:
    """After the commit that revoked (SQLite): a fresh stamp, written atomically."""
    stamp = _stamp_path(db_url)
    if stamp is None:
        return
    tmp = stamp.with_name(stamp.name + f".{os.getpid()}.tmp")
    tmp.write_text(secrets.token_hex(8), encoding="ascii")
    os.replace(tmp, stamp)


def _stamp_path(db_url: str) -> Path | None:
    parts = urlsplit(db_url)
    if parts.scheme != "sqlite":
        return None
    db_file = Path(unquote(parts.path))
    return db_file.with_name(db_file.name + ".revoked")


class Revocations:
    """`epoch()` changes whenever tokens were revoked anywhere; None = cannot tell now."""

    def __init__(self, db_url: str = "") -> None:
        self._local = 0  # revocations made in this process count at once, before any notice
        self._lock = threading.Lock()
        self._stamp = _stamp_path(db_url) if db_url else None
        self._listener = _Listener(db_url) if db_url and self._stamp is None else None

    def epoch(self) -> tuple | None:
        if self._listener is not None:
            heard = self._listener.epoch()
            return None if heard is None else (self._local, heard)
        if self._stamp is not None:
            try:
                return (self._local, self._stamp.read_bytes())
            except FileNotFoundError:
                return (self._local, b"")
            except OSError:
                return None
        return (self._local,)

    def revoked_here(self) -> None:
        with self._lock:
            self._local += 1

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()


class _Listener:
    """One PostgreSQL connection in a daemon thread, LISTENing on CHANNEL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._heard = 0
        self._live = False
        self._stop = threading.Event()
        self._conn = None
        self._thread = threading.Thread(target=self._run, name="revocations", daemon=True)
        self._thread.start()

    def epoch(self) -> int | None:
        return self._heard if self._live else None

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
                self._conn.execute(f"LISTEN {CHANNEL}")
                self._heard += 1  # whatever happened while nobody listened
                self._live = True
                while not self._stop.is_set():
                    for _ in self._conn.notifies(timeout=1.0):
                        self._heard += 1
            except psycopg.Error:
                self._live = False
            finally:
                self._live = False
                with contextlib.suppress(Exception):
                    self._conn.close()
            self._stop.wait(2.0)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
