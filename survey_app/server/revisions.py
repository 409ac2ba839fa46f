"""Server revisions: every accepted change gets `rev`, increasing per municipality, and a row in
`changes` that pulls read in order ("changes since rev N").

Each write transaction takes the municipality's counter row first (FOR UPDATE on PostgreSQL;
SQLite's BEGIN IMMEDIATE already excludes other writers), so revisions become visible in
the order they were given and a pull can never skip a change that commits late.

Per entity only two rows are kept: the first (it keeps an entity ahead of the children that
reference it) and the latest (it carries the current state). Rows pulled earlier are re-sent
only when something changed.
"""

from __future__ import annotations

from survey_app.server.db import Conn


class Revisions:
    def __init__(self, conn: Conn, municipality: str, origin: str = "") -> None:
        self.conn = conn
        self.municipality = municipality
        self.origin = origin
        self.rev = self._lock_counter()
        self._start = self.rev

    def _lock_counter(self) -> int:
        sql = "SELECT rev FROM rev_counters WHERE municipality_code = ?"
        if self.conn.dialect == "postgresql":
            sql += " FOR UPDATE"
        rev = self.conn.scalar(sql, (self.municipality,))
        if rev is None:
            self.conn.execute("INSERT INTO rev_counters (municipality_code, rev) VALUES (?, 0)"
                              " ON CONFLICT (municipality_code) DO NOTHING", (self.municipality,))
            rev = self.conn.scalar(sql, (self.municipality,))
        return int(rev)

    def record(self, entity: str, entity_id: str, building_id: str | None, *,
               op: str = "put", server_made: bool = False) -> int:
        """Stamp one change; `server_made` changes go to every client, even the pushing one."""
        self.rev += 1
        origin = "" if server_made else self.origin
        first = self.conn.scalar(
            "SELECT count(*) FROM changes WHERE municipality_code = ? AND entity = ?"
            " AND entity_id = ?", (self.municipality, entity, entity_id))
        if first:
            self.conn.execute("DELETE FROM changes WHERE municipality_code = ? AND entity = ?"
                              " AND entity_id = ? AND is_first = 0",
                              (self.municipality, entity, entity_id))
        self.conn.execute(
            "INSERT INTO changes (municipality_code, rev, entity, entity_id, building_id,"
            " origin, op, is_first) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.municipality, self.rev, entity, entity_id, building_id, origin, op,
             0 if first else 1))
        return self.rev

    def restamp_building(self, building_id: str) -> None:
        """Give every change of a building a new revision, in the same order, so a surveyor
        newly assigned to it receives the whole building in their next pull."""
        rows = self.conn.all("SELECT rev FROM changes WHERE municipality_code = ?"
                             " AND building_id = ? ORDER BY rev",
                             (self.municipality, building_id))
        for row in rows:
            self.rev += 1
            self.conn.execute("UPDATE changes SET rev = ?, origin = '' WHERE"
                              " municipality_code = ? AND rev = ?",
                              (self.rev, self.municipality, row["rev"]))

    def finish(self) -> None:
        if self.rev != self._start:
            self.conn.execute("UPDATE rev_counters SET rev = ? WHERE municipality_code = ?",
                              (self.rev, self.municipality))
