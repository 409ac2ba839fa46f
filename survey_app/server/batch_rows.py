"""The rows a push batch names, read up front in a few queries instead of one or two per item.

On PostgreSQL every read is a wait for the database, and under a burst of laptops each wait
is a trip through a busy scheduler: a typical laptop's push (3 buildings, 3 surveys, 3 versions,
6 photo links) asked 30 questions one at a time. Now it asks four.

The cache answers only while it is true. Every handler that writes a row tells it (`wrote`),
and the row is read again when next asked for. Rows that must be locked (FOR UPDATE) are read
locked up front, in id order, so two pushes never lock the same rows in opposite orders. The
identity of an existing row (its id, building, disaster, municipality) never changes, so a
lookup that needs no lock may use an older copy; one that needs the lock gets the current row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from survey_app.server import scope
from survey_app.server.auth import User
from survey_app.server.db import Conn

_CHUNK = 400  # ids per query: far below SQLite's limit on a statement's parameters


@dataclass
class BatchRows:
    # kind -> id -> the row with its `in_scope` flag, or None: not on the server
    refs: dict[str, dict[str, dict | None]] = field(
        default_factory=lambda: {"building": {}, "survey": {}})
    locked: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {"building": {}, "survey": {}})
    versions: dict[str, dict | None] = field(default_factory=dict)
    links: dict[tuple[str, str], dict | None] = field(default_factory=dict)

    def wrote(self, kind: str, row_id: str) -> None:
        """A handler changed or created this building or survey: read it again when asked."""
        self.locked[kind].pop(row_id, None)
        if row_id in self.refs[kind] and self.refs[kind][row_id] is None:
            del self.refs[kind][row_id]  # it exists now

    def wrote_assignments(self, building_id: str) -> None:
        """Who may touch the building and its surveys changed: forget their scope flags."""
        self.wrote("building", building_id)
        self.refs["building"].pop(building_id, None)
        for cache in (self.refs["survey"], self.locked["survey"]):
            for sid in [k for k, r in cache.items() if r and r["building_id"] == building_id]:
                del cache[sid]

    def wrote_version(self, version_id: str) -> None:
        self.versions.pop(version_id, None)

    def wrote_link(self, survey_id: str, sha: str) -> None:
        self.links.pop((survey_id, sha), None)

    def scoped(self, conn: Conn, user: User, kind: str, row_id: str, for_update: bool) -> dict:
        """Like scope.building / scope.survey, from the cache when it can answer."""
        cached = (self.locked if for_update else self.refs)[kind]
        if row_id in cached:
            return scope.check(cached[row_id], user, kind)
        row = scope.fetch(conn, user, kind, row_id, for_update=for_update)
        if for_update and row is not None:
            self.locked[kind][row_id] = row
        return scope.check(row, user, kind)

    def row_of(self, kind: str, row_id: str) -> tuple[bool, dict | None]:
        """(known, row) for an id read up front, ignoring scope; (False, None) if not read."""
        cached = self.refs[kind]
        return (True, cached[row_id]) if row_id in cached else (False, None)


def prefetch(conn: Conn, user: User, items: list[dict]) -> BatchRows:
    """Read, in a few queries, what the batch's items will ask about."""
    rows = BatchRows()
    named = _named(items)
    for kind in ("building", "survey"):
        lock = named[f"{kind}:lock"]
        for ids, for_update in ((lock, True), (named[kind] - lock, False)):
            found = _scoped_rows(conn, user, kind, sorted(ids), for_update)
            for row_id in ids:
                row = found.get(row_id)
                rows.refs[kind][row_id] = row
                if for_update and row is not None:
                    rows.locked[kind][row_id] = row
    for row_id in named["version"]:
        rows.versions[row_id] = None
    for part in _chunks(sorted(named["version"])):
        for r in conn.all("SELECT id, survey_id, content_hash, state FROM survey_versions"
                          f" WHERE id IN ({_marks(part)})", part):
            rows.versions[r["id"]] = r
    _prefetch_links(conn, rows, sorted(named["photo_link"]))
    return rows


def _named(items: list[dict]) -> dict[str, set]:
    out: dict[str, set] = {k: set() for k in ("building", "building:lock", "survey",
                                              "survey:lock", "version", "photo_link")}
    for raw in items:
        kind = raw.get("kind")
        if kind == "building":
            _add(out, ("building", "building:lock"), raw.get("id"))
        elif kind == "survey":
            _add(out, ("survey",), raw.get("id"))
            _add(out, ("building",), raw.get("building_id"))
        elif kind in ("version", "status"):
            _add(out, ("survey", "survey:lock"), raw.get("survey_id"))
            if kind == "version":
                _add(out, ("version",), raw.get("id"))
                _add(out, ("version",), raw.get("base_version_id"))
        elif kind == "photo_link":
            _add(out, ("survey",), raw.get("survey_id"))
            sid, sha = raw.get("survey_id"), raw.get("sha256")
            if _is_id(sid) and _is_id(sha):
                out["photo_link"].add((sid, sha))
    return out


def _add(out: dict[str, set], kinds: tuple[str, ...], value: object) -> None:
    if _is_id(value):
        for kind in kinds:
            out[kind].add(value)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64  # anything else fails validation


def _scoped_rows(conn: Conn, user: User, kind: str, ids: list[str], for_update: bool
                 ) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for part in _chunks(ids):
        sql = scope.scoped_select(kind, f"t.id IN ({_marks(part)})") + " ORDER BY t.id"
        if for_update and conn.dialect == "postgresql":
            sql += " FOR UPDATE OF t"
        found.update((r["id"], r) for r in conn.all(sql, [user.username, *part]))
    return found


def _prefetch_links(conn: Conn, rows: BatchRows, pairs: list[tuple[str, str]]) -> None:
    for pair in pairs:
        rows.links[pair] = None
    for part in _chunks(pairs):
        values = ",".join("(?, ?)" for _ in part)
        for r in conn.all("SELECT survey_id, sha256, tag, note, deleted FROM photo_links"
                          f" WHERE (survey_id, sha256) IN (VALUES {values})",
                          [v for pair in part for v in pair]):
            rows.links[(r["survey_id"], r["sha256"])] = r


def _chunks(values: list) -> list[list]:
    return [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _marks(part: list) -> str:
    return ",".join("?" * len(part))
