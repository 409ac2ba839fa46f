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


def is_assigned(conn: Conn, user: User, building_id: str) -> bool:
    return conn.one("SELECT 1 AS x FROM assignments WHERE building_id = ? AND username = ?",
                    (building_id, user.username)) is not None


def building(conn: Conn, user: User, building_id: str, *, for_update: bool = False) -> dict:
    sql = "SELECT * FROM buildings WHERE id = ?"
    if for_update and conn.dialect == "postgresql":
        sql += " FOR UPDATE"
    row = conn.one(sql, (building_id,))
    if row is None or row["municipality_code"] != user.municipality_code:
        raise not_found("building")
    if not user.is_office and not is_assigned(conn, user, building_id):
        raise not_found("building")
    return row


def survey(conn: Conn, user: User, survey_id: str, *, for_update: bool = False) -> dict:
    sql = "SELECT * FROM surveys WHERE id = ?"
    if for_update and conn.dialect == "postgresql":
        sql += " FOR UPDATE"
    row = conn.one(sql, (survey_id,))
    if row is None or row["municipality_code"] != user.municipality_code:
        raise not_found("survey")
    if not user.is_office and not is_assigned(conn, user, row["building_id"]):
        raise not_found("survey")
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
