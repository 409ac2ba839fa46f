"""Planner statistics on a PostgreSQL whose autovacuum is off.

Without statistics PostgreSQL takes a municipality's rows for a handful, and the end-of-sync
check of a surveyor with 3 homes then walks every home, survey, version and photo link of the
town, checking each against the assignments (measured: 1.6 ms a sync with 300 homes, against
0.5 ms once analysed; it grows with the town). autovacuum, on by default, keeps the statistics;
some hosts turn it off. The server then keeps them itself, by autovacuum's own rule: a table
is analysed once more than 50 rows + 10 % of it changed since its last analysis.

One server process analyses at a time (an advisory lock), the others skip that round.
"""

from __future__ import annotations

import logging
import threading

from survey_app.server.db import Database

log = logging.getLogger("survey_app.server")

# Seconds between looks at the change counters: a look is one cheap query, and a town's first
# hour of syncs should not run on a planner that still thinks its tables are empty.
INTERVAL = 2.0
_LOCK_KEY = 0x5A17_57A7  # the advisory lock that keeps two server processes from analysing at once
_STALE = ("SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema()"
          " AND n_mod_since_analyze > 50 + 0.1 * n_live_tup ORDER BY relname")


class StatsKeeper:
    def __init__(self, db: Database, interval: float = INTERVAL) -> None:
        self.db, self.interval = db, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def needed(self) -> bool:
        """Only on PostgreSQL with autovacuum off: otherwise PostgreSQL does it itself."""
        if self.db.dialect != "postgresql":
            return False
        return self.db.query("SELECT current_setting('autovacuum') AS v")[0]["v"] != "on"

    def start(self) -> None:
        if not self.needed:
            return
        log.warning("PostgreSQL autovacuum is off: the server keeps the planner statistics"
                    " itself (ANALYZE); turning autovacuum on is recommended")
        self._thread = threading.Thread(target=self._run, name="pg-stats", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        failing = False
        while not self._stop.wait(self.interval):
            try:
                self.analyse_stale()
                failing = False
            except Exception as err:  # noqa: BLE001 - a missed round is retried next time
                if not failing:  # told once per outage, not every round
                    log.warning("planner statistics not refreshed: %s", type(err).__name__)
                failing = True

    def analyse_stale(self) -> list[str]:
        """Analyse the tables that changed enough; returns their names (none when another
        server process holds the lock)."""
        with self.db.write() as conn:
            if not conn.scalar("SELECT pg_try_advisory_xact_lock(?)", (_LOCK_KEY,)):
                return []
            tables = [r["relname"] for r in conn.all(_STALE)]
            for table in tables:
                conn.execute(f'ANALYZE "{table}"')
        return tables
