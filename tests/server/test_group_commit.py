"""Group commit on the SQLite backend: writers that queue share a transaction, each still
all-or-nothing, and `with db.write()` returns only once its work is durable."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from survey_app.server.db import Database


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'server.db'}")
    with database.write() as conn:
        conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id)"
                     " DEFERRABLE INITIALLY DEFERRED)")
        conn.execute("INSERT INTO parent (id) VALUES (1)")
    yield database, tmp_path / "server.db"
    database.close()


def _pile_up(database, writers, body):
    """Start `writers` threads that all call `body(n)` inside db.write() while the first
    writer holds the lock, so the rest queue behind it."""
    first_in, release = threading.Event(), threading.Event()
    outcome: dict[int, object] = {}

    def run(n: int) -> None:
        try:
            with database.write() as conn:
                if n == 0:
                    first_in.set()
                    release.wait(10)
                body(conn, n)
            outcome[n] = "ok"
        except Exception as err:  # noqa: BLE001 - the test inspects it
            outcome[n] = err

    threads = [threading.Thread(target=run, args=(0,))]
    threads[0].start()
    first_in.wait(10)
    threads += [threading.Thread(target=run, args=(n,)) for n in range(1, writers)]
    for t in threads[1:]:
        t.start()
    while database._writers._waiting < writers - 1:
        threading.Event().wait(0.005)
    release.set()
    for t in threads:
        t.join(20)
    return outcome


def test_queued_writers_share_commits_and_each_stays_atomic(db):
    database, path = db

    def body(conn, n):
        conn.execute("INSERT INTO t (n, parent) VALUES (?, 1)", (n,))
        if n == 7:
            raise ValueError("writer 7 fails after its insert")

    before = database._writers.commits
    outcome = _pile_up(database, 20, body)
    with sqlite3.connect(path) as fresh:  # another connection: only committed rows
        rows = {n for (n,) in fresh.execute("SELECT n FROM t")}
    assert isinstance(outcome[7], ValueError)
    assert rows == set(range(20)) - {7} == {n for n in outcome if outcome[n] == "ok"}
    assert database._writers.commits - before < 20  # fewer flushes than writers


def test_a_failed_commit_reaches_every_writer_of_the_group(db):
    database, path = db

    def body(conn, n):
        # A deferred foreign key is checked at COMMIT: writer 3 makes the whole commit fail.
        conn.execute("INSERT INTO t (n, parent) VALUES (?, ?)", (n, 99 if n == 3 else 1))

    outcome = _pile_up(database, 6, body)
    failed = [n for n, result in outcome.items() if isinstance(result, sqlite3.IntegrityError)]
    with sqlite3.connect(path) as fresh:
        rows = {n for (n,) in fresh.execute("SELECT n FROM t")}
    assert 3 in failed and len(failed) > 1  # the others in its group were told, not lied to
    assert rows == {n for n, result in outcome.items() if result == "ok"}
    with database.write() as conn:  # the writer is usable again
        conn.execute("INSERT INTO t (n, parent) VALUES (100, 1)")
