"""Planner statistics on a PostgreSQL without autovacuum (as on the development machines):
the server analyses the tables that changed, by autovacuum's rule, one process at a time."""

from __future__ import annotations

import time

import psycopg
import pytest

from survey_app.server.db import Database
from survey_app.server.migrations import apply_migrations
from survey_app.server.pg_stats import _LOCK_KEY, StatsKeeper
from tests.sync.support import pg_create, pg_drop


@pytest.fixture
def pg():
    url = pg_create()
    db = Database(url, pool_size=2)
    apply_migrations(db)
    yield url, db
    db.close()
    pg_drop(url)


def _add_rows(url: str, n: int, first: int = 1) -> None:
    """n rows into a real table, and PostgreSQL's change counters brought up to date."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO rev_counters (municipality_code, rev)"
                     " SELECT 'm' || g, 0 FROM generate_series(%s::int, %s::int) g",
                     (first, first + n - 1))
        conn.execute("SELECT pg_stat_force_next_flush()")
    with psycopg.connect(url, autocommit=True) as conn:
        for _ in range(100):
            changed = conn.execute("SELECT n_mod_since_analyze FROM pg_stat_user_tables"
                                   " WHERE relname = 'rev_counters'").fetchone()[0]
            if changed >= n:
                return
            time.sleep(0.1)
    raise AssertionError("PostgreSQL did not count the inserted rows")


def _last_analyzed(url: str):  # noqa: ANN202 - a datetime or None
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT last_analyze FROM pg_stat_user_tables"
                            " WHERE relname = 'rev_counters'").fetchone()[0]


def test_a_table_that_changed_enough_is_analysed_once(pg):
    url, db = pg
    keeper = StatsKeeper(db)
    if not keeper.needed:
        pytest.skip("this PostgreSQL runs autovacuum: the keeper rightly stays idle")
    _add_rows(url, 200)
    assert _last_analyzed(url) is None
    assert "rev_counters" in keeper.analyse_stale()
    assert _last_analyzed(url) is not None
    assert "rev_counters" not in keeper.analyse_stale()  # nothing changed since


def test_the_running_keeper_analyses_by_itself(pg):
    url, db = pg
    keeper = StatsKeeper(db, interval=0.1)
    if not keeper.needed:
        pytest.skip("this PostgreSQL runs autovacuum: the keeper rightly stays idle")
    keeper.start()
    try:
        _add_rows(url, 200)
        for _ in range(100):
            if _last_analyzed(url) is not None:
                break
            time.sleep(0.1)
        assert _last_analyzed(url) is not None
    finally:
        keeper.stop()


def test_a_few_changes_are_not_worth_an_analysis(pg):
    url, db = pg
    _add_rows(url, 200)
    StatsKeeper(db).analyse_stale()
    _add_rows(url, 20, first=1000)  # 20 < 50 + 10 % of 200
    assert "rev_counters" not in StatsKeeper(db).analyse_stale()


def test_another_server_process_analysing_makes_this_one_skip(pg):
    url, db = pg
    _add_rows(url, 200)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        assert StatsKeeper(db).analyse_stale() == []
        other.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
    assert "rev_counters" in StatsKeeper(db).analyse_stale()


def test_sqlite_needs_no_keeper(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        assert not StatsKeeper(db).needed
    finally:
        db.close()
