"""The context a push item is handled in: one transaction, the caller, their revisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey_app.server.auth import User
from survey_app.server.batch_rows import BatchRows
from survey_app.server.db import Conn
from survey_app.server.revisions import Revisions

_CHUNK = 500


@dataclass
class Ctx:
    conn: Conn
    user: User
    revs: Revisions
    # Photos known to be held by the municipality: ownership is never taken back inside a
    # transaction, so one query can answer for every item of a push.
    owned: set[str] = field(default_factory=set)
    rows: BatchRows = field(default_factory=BatchRows)  # read up front (batch_rows.py)

    @property
    def municipality(self) -> str:
        return self.user.municipality_code

    def building(self, building_id: str, *, for_update: bool = False) -> dict:
        """The building if the user may touch it (scope.building), locked if asked."""
        return self.rows.scoped(self.conn, self.user, "building", building_id, for_update)

    def survey(self, survey_id: str, *, for_update: bool = False) -> dict:
        return self.rows.scoped(self.conn, self.user, "survey", survey_id, for_update)


def owned_blobs(ctx: Ctx, shas: list[str]) -> set[str]:
    unknown = sorted({s for s in shas if isinstance(s, str)} - ctx.owned)
    for i in range(0, len(unknown), _CHUNK):  # bounded: SQLite caps a statement's parameters
        part = unknown[i:i + _CHUNK]
        marks = ",".join("?" * len(part))
        rows = ctx.conn.all(f"SELECT sha256 FROM blob_owners WHERE municipality_code = ?"
                            f" AND sha256 IN ({marks})", [ctx.municipality, *part])
        ctx.owned.update(r["sha256"] for r in rows)
    return ctx.owned.intersection(shas)
