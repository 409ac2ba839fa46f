"""Server revisions: every accepted change gets `rev`, increasing per municipality, and a row in
`changes` that pulls read in order ("changes since rev N").

A transaction stamps its changes with temporary negative revisions (in order) and turns them
into real ones at the very end, holding the municipality's counter row (FOR UPDATE on
PostgreSQL; SQLite has a single writer anyway) only for that step and the commit. So real
revisions become visible in the order they were given, a pull can never skip a change that
commits late, and pushes of different surveys do their work side by side. Two pushes of the
same survey or building queue on that row (handlers lock it FOR UPDATE).

Per entity only two rows are kept: the first (it keeps an entity ahead of the children that
reference it) and the latest (it carries the current state).
"""

from __future__ import annotations

import secrets

from survey_app.server.db import Conn

_TEMP_FLOOR = -(1 << 62)
_PER_TX = 1 << 24


class Revisions:
    def __init__(self, conn: Conn, municipality: str, origin: str = "") -> None:
        self.conn = conn
        self.municipality = municipality
        self.origin = origin
        # Temporary revisions: negative, in order, in a range no other transaction uses.
        self._first = _TEMP_FLOOR + secrets.randbits(36) * _PER_TX
        self._next = self._first

    def _temp(self) -> int:
        rev = self._next
        self._next += 1
        return rev

    def record(self, entity: str, entity_id: str, building_id: str | None, *,
               op: str = "put", server_made: bool = False) -> None:
        """Stamp one change; `server_made` changes go to every client, even the pushing one."""
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
            (self.municipality, self._temp(), entity, entity_id, building_id, origin, op,
             0 if first else 1))

    def restamp_building(self, building_id: str) -> None:
        """Give every change of a building a new revision, in the same order, so a surveyor
        newly assigned to it receives the whole building in their next pull."""
        rows = self.conn.all("SELECT rev FROM changes WHERE municipality_code = ?"
                             " AND building_id = ? ORDER BY CASE WHEN rev < 0 THEN 1 ELSE 0 END,"
                             " rev", (self.municipality, building_id))
        for row in rows:
            self.conn.execute("UPDATE changes SET rev = ?, origin = '' WHERE"
                              " municipality_code = ? AND rev = ?",
                              (self._temp(), self.municipality, row["rev"]))

    def finish(self) -> None:
        """Turn the temporary revisions into real ones; call last, just before the commit."""
        used = self._next - self._first
        if not used:
            return
        sql = "SELECT rev FROM rev_counters WHERE municipality_code = ?"
        if self.conn.dialect == "postgresql":
            sql += " FOR UPDATE"
        head = self.conn.scalar(sql, (self.municipality,))
        if head is None:
            self.conn.execute("INSERT INTO rev_counters (municipality_code, rev) VALUES (?, 0)"
                              " ON CONFLICT (municipality_code) DO NOTHING", (self.municipality,))
            head = self.conn.scalar(sql, (self.municipality,))
        self.conn.execute("UPDATE changes SET rev = rev - ? + ? WHERE municipality_code = ?"
                          " AND rev >= ? AND rev < ?",
                          (self._first, head + 1, self.municipality, self._first, self._next))
        self.conn.execute("UPDATE rev_counters SET rev = ? WHERE municipality_code = ?",
                          (head + used, self.municipality))
