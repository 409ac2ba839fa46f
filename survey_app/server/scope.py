"""What a user may see and touch: everything of their own municipality for the office and
admins; for a surveyor, the buildings assigned to them (and whatever hangs off them).

Anything outside is answered as "not found", so another municipality's ids leak nothing.
"""

from __future__ import annotations

from survey_app.server.auth import User
from survey_app.server.db import Conn
from survey_app.server.errors import ApiError


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", what)


def building(conn: Conn, user: User, building_id: str, *, for_update: bool = False) -> dict:
    return _in_scope(conn, user, "buildings", "t.id", building_id, "building", for_update)


def survey(conn: Conn, user: User, survey_id: str, *, for_update: bool = False) -> dict:
    return _in_scope(conn, user, "surveys", "t.building_id", survey_id, "survey", for_update)


def _in_scope(conn: Conn, user: User, table: str, building: str, row_id: str, what: str,
              for_update: bool) -> dict:
    """The row, if the user may touch it; the assignment is checked in the same query (one
    round trip per pushed item on PostgreSQL, not two)."""
    sql = (f"SELECT t.*, EXISTS (SELECT 1 FROM assignments a WHERE a.building_id = {building}"
           f" AND a.username = ?) AS in_scope FROM {table} t WHERE t.id = ?")
    if for_update and conn.dialect == "postgresql":
        sql += " FOR UPDATE OF t"
    row = conn.one(sql, (user.username, row_id))
    if row is None or row["municipality_code"] != user.municipality_code:
        raise not_found(what)
    if not (user.is_office or row.pop("in_scope")):
        raise not_found(what)
    row.pop("in_scope", None)
    return row


def building_filter(user: User, column: str) -> tuple[str, list]:
    """SQL condition (and its parameters) limiting `column` (a building id) to the scope."""
    if user.is_office:
        return "1 = 1", []
    return (f"{column} IN (SELECT building_id FROM assignments WHERE username = ?)",
            [user.username])


def change_filter(user: User) -> tuple[str, list]:
    """Like building_filter, for rows of `changes` (a disaster has no building: all see it)."""
    if user.is_office:
        return "1 = 1", []
    return ("(c.building_id IS NULL OR c.building_id IN"
            " (SELECT building_id FROM assignments WHERE username = ?))", [user.username])
