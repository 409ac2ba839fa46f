"""Several first opens of the same fresh store at once (two Ops lanes at start-up, a second
copy of the app, the sync CLI): each must get a working store, the migrations applied exactly
once, and no "database is locked" or "table … already exists" on the way."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database

from survey_app.store import schema
from survey_app.store.db import open_store

OPENERS = 12  # at once, in each round
# A race shows in some rounds only (the WAL switch of a new file about one in fifty): threads
# are cheap, so many rounds; processes each start an interpreter, so a few.
THREAD_ROUNDS = 12
PROCESS_ROUNDS = 2


def _open_and_write(path: str, who: str) -> str:
    """Open the store and write through it; returns "" or the error."""
    try:
        store = open_store(path)
        try:
            with store.atomic():
                store.buildings.create_disaster(
                    name=f"令和6年能登半島地震 {who}", hazard="earthquake",
                    occurred_on="2024-01-01", municipality_code="172049",
                    municipality_name="輪島市")
            return ""
        finally:
            store.close()
    except Exception as err:  # noqa: BLE001 - reported to the test, which shows it
        return f"{who}: {type(err).__name__}: {err}"


def _process_opener(path: str, who: str, start, results) -> None:  # noqa: ANN001 - mp objects
    start.wait(120)  # every process has started and imported the app
    results.put(_open_and_write(path, who))


def _check_store(path: Path, writers: int) -> None:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'survey_app'"
            " ORDER BY rowid")]
        every = [m.name for m in schema.migrations.pending(Database(memory=True))]
        assert names == every  # each applied once, in order
        assert conn.execute("SELECT count(*) FROM disasters").fetchone()[0] == writers
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    again = open_store(path)  # a later open finds nothing to do and still works
    try:
        assert schema.apply_all(again.db) == []
    finally:
        again.close()


@pytest.mark.parametrize("round_no", range(THREAD_ROUNDS))
def test_threads_open_the_same_fresh_store_at_once(tmp_path, round_no):
    path = tmp_path / f"round{round_no}" / "survey.db"
    start = threading.Barrier(OPENERS)
    errors: list[str] = []

    def opener(n: int) -> None:
        start.wait()
        errors.append(_open_and_write(str(path), f"thread {n}"))

    threads = [threading.Thread(target=opener, args=(n,)) for n in range(OPENERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [e for e in errors if e] == []
    _check_store(path, OPENERS)


@pytest.mark.parametrize("round_no", range(PROCESS_ROUNDS))
def test_processes_open_the_same_fresh_store_at_once(tmp_path, round_no):
    path = tmp_path / f"round{round_no}" / "survey.db"
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters, as separate app copies
    start, results = ctx.Barrier(OPENERS), ctx.Queue()
    procs = [ctx.Process(target=_process_opener, args=(str(path), f"process {n}", start,
                                                         results)) for n in range(OPENERS)]
    for p in procs:
        p.start()
    errors = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert [e for e in errors if e] == []
    assert all(p.exitcode == 0 for p in procs)
    _check_store(path, OPENERS)
