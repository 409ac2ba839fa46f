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
    return check(fetch(conn, user, "building", building_id, for_update=for_update), user,
                 "building")


def survey(conn: Conn, user: User, survey_id: str, *, for_update: bool = False) -> dict:
    return check(fetch(conn, user, "survey", survey_id, for_update=for_update), user, "survey")


_TABLES = {"building": ("buildings", "t.id"), "survey": ("surveys", "t.building_id")}


def fetch(conn: Conn, user: User, kind: str, row_id: str, *, for_update: bool = False
          ) -> dict | None:
    """The row with an `in_scope` flag: the assignment is checked in the same query (one
    round trip per pushed item on PostgreSQL, not two)."""
    sql = scoped_select(kind, "t.id = ?")
    if for_update and conn.dialect == "postgresql":
        sql += " FOR UPDATE OF t"
    return conn.one(sql, (user.username, row_id))


def scoped_select(kind: str, where: str) -> str:
    """SELECT of `kind` rows (alias t) with their `in_scope` flag; the user name is the first
    parameter, then those of `where`."""
    table, building_column = _TABLES[kind]
    return (f"SELECT t.*, EXISTS (SELECT 1 FROM assignments a WHERE"
            f" a.building_id = {building_column} AND a.username = ?) AS in_scope"
            f" FROM {table} t WHERE {where}")


def check(row: dict | None, user: User, kind: str) -> dict:
    """The row (a copy, without the flag) if the user may touch it; else "not found"."""
    if row is None or row["municipality_code"] != user.municipality_code:
        raise not_found(kind)
    if not (user.is_office or row["in_scope"]):
        raise not_found(kind)
    return {k: v for k, v in row.items() if k != "in_scope"}


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
