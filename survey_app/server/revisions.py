"""Server revisions: every accepted change gets `rev`, increasing per municipality, and a row in
`changes` that pulls read in order ("changes since rev N").

A transaction collects its changes in memory and writes them at the very end, taking the
municipality's counter row as it does and committing at once: on PostgreSQL the counter update,
the inserts and the COMMIT go to the server in one pipeline, so the row is held only for the
server-side moment of the commit, and revisions become visible in the order they were given (a
pull can never skip a change that commits late). SQLite has a single writer anyway.

Per entity only two rows are kept: the first (it keeps an entity ahead of the children that
reference it) and the latest (it carries the current state).
"""

from __future__ import annotations

from survey_app.server.db import Conn

_CHUNK = 300
# One statement: take the next revisions from the counter and insert the rows with them.
_PG_FINISH = (
    "WITH c AS (UPDATE rev_counters SET rev = rev + %s WHERE municipality_code = %s"
    " RETURNING rev - %s AS base)"
    " INSERT INTO changes (municipality_code, rev, entity, entity_id, building_id, origin, op,"
    " is_first) SELECT %s, c.base + t.ord, t.e, t.i, t.b, t.o, t.p, t.f FROM c,"
    " unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::int[])"
    " WITH ORDINALITY AS t(e, i, b, o, p, f, ord)"
)
_INSERT = ("INSERT INTO changes (municipality_code, rev, entity, entity_id, building_id, origin,"
           " op, is_first) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


class Revisions:
    def __init__(self, conn: Conn, municipality: str, origin: str = "") -> None:
        self.conn = conn
        self.municipality = municipality
        self.origin = origin
        self._rows: list[tuple[str, str, str | None, str, str]] = []
        self._restamp: list[str] = []

    def mark(self) -> tuple[int, int]:
        return len(self._rows), len(self._restamp)

    def rollback_to(self, mark: tuple[int, int]) -> None:
        """Forget what was recorded since `mark` (its savepoint was rolled back)."""
        del self._rows[mark[0]:]
        del self._restamp[mark[1]:]

    def record(self, entity: str, entity_id: str, building_id: str | None, *,
               op: str = "put", server_made: bool = False) -> None:
        """Stamp one change; `server_made` changes go to every client, even the pushing one."""
        origin = "" if server_made else self.origin
        self._rows.append((entity, entity_id, building_id, origin, op))

    def restamp_building(self, building_id: str) -> None:
        """Give every change of a building a new revision, in the same order, so a surveyor
        newly assigned to it receives the whole building in their next pull."""
        self._restamp.append(building_id)

    def finish(self) -> None:
        """Write the changes; call last. On PostgreSQL this also commits the transaction."""
        if self.conn.dialect == "postgresql":
            with self.conn.pipelined():  # the DELETEs wait for nothing
                rows = self._restamped() + self._plan()
                if rows:
                    self._finish_pg(rows)
            return
        rows = self._restamped() + self._plan()
        if not rows:
            return
        head = self._head()
        self.conn.executemany(_INSERT, [(self.municipality, head + n, *row)
                                        for n, row in enumerate(rows, start=1)])
        self.conn.execute("UPDATE rev_counters SET rev = ? WHERE municipality_code = ?",
                          (head + len(rows), self.municipality))

    def _finish_pg(self, rows: list[tuple]) -> None:
        # The counter row exists afterwards, without a lock or a wait (pipelined).
        self.conn.execute("INSERT INTO rev_counters (municipality_code, rev) VALUES (?, 0)"
                          " ON CONFLICT (municipality_code) DO NOTHING", (self.municipality,))
        columns = [list(col) for col in zip(*rows, strict=True)]
        self.conn.execute_and_commit(_PG_FINISH, (len(rows), self.municipality, len(rows),
                                                  self.municipality, *columns))

    def _head(self) -> int:
        sql = "SELECT rev FROM rev_counters WHERE municipality_code = ?"
        head = self.conn.scalar(sql, (self.municipality,))
        if head is None:
            self.conn.execute("INSERT INTO rev_counters (municipality_code, rev) VALUES (?, 0)"
                              " ON CONFLICT (municipality_code) DO NOTHING", (self.municipality,))
            head = self.conn.scalar(sql, (self.municipality,))
        return int(head)

    def _restamped(self) -> list[tuple]:
        """The existing rows of re-stamped buildings, removed here to be inserted anew."""
        out: list[tuple] = []
        for building in dict.fromkeys(self._restamp):
            rows = self.conn.all("SELECT entity, entity_id, building_id, op, is_first FROM"
                                 " changes WHERE municipality_code = ? AND building_id = ?"
                                 " ORDER BY rev", (self.municipality, building))
            self.conn.execute("DELETE FROM changes WHERE municipality_code = ? AND"
                              " building_id = ?", (self.municipality, building))
            out += [(r["entity"], r["entity_id"], r["building_id"], "", r["op"], r["is_first"])
                    for r in rows]
        return out

    def _plan(self) -> list[tuple]:
        """This transaction's rows with their is_first flags, an entity's earlier non-first
        rows (in the table or in this batch) dropped."""
        known = self._known({(r[0], r[1]) for r in self._rows})
        out: list[tuple | None] = []
        latest: dict[tuple[str, str], int] = {}
        for entity, entity_id, building, origin, op in self._rows:
            key = (entity, entity_id)
            if key in latest:
                out[latest[key]] = None
            first = 0 if key in known or key in latest else 1
            if first == 0:
                latest[key] = len(out)
            known.add(key)
            out.append((entity, entity_id, building, origin, op, first))
        return [r for r in out if r is not None]

    def _known(self, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which entities already have changes; their non-first rows are deleted now."""
        found: set[tuple[str, str]] = set()
        ordered = sorted(keys)
        for i in range(0, len(ordered), _CHUNK):
            part = ordered[i:i + _CHUNK]
            marks = ",".join("(?, ?)" for _ in part)
            flat = [v for key in part for v in key]
            rows = self.conn.all(f"SELECT DISTINCT entity, entity_id FROM changes WHERE"
                                 f" municipality_code = ? AND (entity, entity_id) IN"
                                 f" (VALUES {marks})", [self.municipality, *flat])
            found |= {(r["entity"], r["entity_id"]) for r in rows}
            self.conn.execute(f"DELETE FROM changes WHERE municipality_code = ? AND"
                              f" is_first = 0 AND (entity, entity_id) IN (VALUES {marks})",
                              [self.municipality, *flat])
        return found
