"""The context a push item is handled in: one transaction, the caller, their revisions."""

from __future__ import annotations

from dataclasses import dataclass

from survey_app.server.auth import User
from survey_app.server.db import Conn
from survey_app.server.revisions import Revisions


@dataclass
class Ctx:
    conn: Conn
    user: User
    revs: Revisions

    @property
    def municipality(self) -> str:
        return self.user.municipality_code


def owned_blobs(ctx: Ctx, shas: list[str]) -> set[str]:
    if not shas:
        return set()
    marks = ",".join("?" * len(shas))
    rows = ctx.conn.all(f"SELECT sha256 FROM blob_owners WHERE municipality_code = ?"
                        f" AND sha256 IN ({marks})", [ctx.municipality, *shas])
    return {r["sha256"] for r in rows}
