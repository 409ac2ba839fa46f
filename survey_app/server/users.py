"""User administration, shared by the admin API (/admin/users…) and the server's command line
(`survey-app users …`): every change is made inside one municipality and tells every server
process, in the same transaction, to drop the tokens it has cached, so a change that takes
access away works at once.

A disabled user's tokens are refused from that moment (auth.user_for_token checks `active` on
every uncached lookup); their rows stay until enabling deletes them, so until then a refused
laptop is told "disabled" rather than "wrong password". A password reset deletes them at once.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from survey_app.i18n import tr
from survey_app.server.accounts import account_state, parse_until
from survey_app.server.auth import TokenCache, create_user
from survey_app.server.db import Conn, Database
from survey_app.server.errors import ApiError
from survey_app.server.revocation import announce, announce_committed
from survey_app.sync.protocol import ROLES

MIN_PASSWORD = 8
MAX_NOTE = 100
_USERNAME = re.compile(r"^[^\s,、，]{1,64}$")  # the same rule as the API's NewUser
_COLUMNS = "id, username, role, active, valid_until, home_municipality, created_at"
UNSET = object()  # "leave the last day as it is" (None clears it)


def describe(row: dict) -> dict:
    """A user as the API and the command line show it (never the hash)."""
    return {"username": row["username"], "role": row["role"], "active": bool(row["active"]),
            "state": account_state(row), "valid_until": row["valid_until"],
            "home_municipality": row["home_municipality"], "created_at": row["created_at"]}


def check_new(username: str, password: str, role: str, home: str) -> None:
    """What the API's pydantic models check, for the command line too."""
    if not _USERNAME.match(username):
        raise ApiError(422, "bad_username", tr("users.err.bad_username", username=username))
    if role not in ROLES:
        raise ApiError(422, "invalid_role", tr("users.err.bad_role", role=role))
    check_password(password)
    check_note(home)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ApiError(422, "weak_password", tr("users.err.weak_password", n=MIN_PASSWORD))


def check_note(home: str) -> None:
    if len(home) > MAX_NOTE:
        raise ApiError(422, "bad_home", tr("users.err.bad_home", n=MAX_NOTE))


class UserAdmin:
    """The operations, on one database; `cache` is the token cache of this process (the
    API's), so its own entries go at once too."""

    def __init__(self, db: Database, cache: TokenCache | None = None) -> None:
        self.db = db
        self.cache = cache

    def list(self, municipality: str) -> list[dict]:
        with self.db.read() as conn:
            rows = conn.all(f"SELECT {_COLUMNS} FROM users WHERE municipality_code = ?"
                            " ORDER BY username", (municipality,))
        return [describe(r) for r in rows]

    def add(self, municipality: str, *, username: str, password_hash: str, role: str,
            valid_until: str | None = None, home: str = "") -> dict:
        until = parse_until(valid_until) if valid_until else None
        with self.db.write() as conn:
            if not conn.one("SELECT code FROM municipalities WHERE code = ?", (municipality,)):
                raise ApiError(404, "no_municipality",
                               tr("users.err.no_municipality", municipality=municipality))
            if conn.one("SELECT id FROM users WHERE username = ?", (username,)):
                raise ApiError(409, "user_exists", tr("users.err.exists", username=username))
            create_user(conn, municipality_code=municipality, username=username,
                        password_hash=password_hash, role=role, valid_until=until,
                        home_municipality=home)
            return describe(_find(conn, municipality, username))

    def change(self, municipality: str, username: str, *, active: bool | None = None,
               valid_until: object = UNSET, home: str | None = None) -> dict:
        """`valid_until`: an ISO date, None to remove the last day, UNSET to keep it."""
        until = valid_until
        if isinstance(valid_until, str):
            until = parse_until(valid_until)
        with self._revoking() as conn:
            row = _find(conn, municipality, username)
            if active is not None:
                conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), row["id"]))
            if until is not UNSET:
                conn.execute("UPDATE users SET valid_until = ? WHERE id = ?", (until, row["id"]))
            if home is not None:
                check_note(home)
                conn.execute("UPDATE users SET home_municipality = ? WHERE id = ?",
                             (home, row["id"]))
            if active and not row["active"]:
                # Tokens from before the disable never come back to life.
                conn.execute("DELETE FROM tokens WHERE user_id = ?", (row["id"],))
            announce(conn)
            return describe(_find(conn, municipality, username))

    def reset_password(self, municipality: str, username: str, password_hash: str) -> dict:
        """A new password; the user's tokens go (a lost laptop signs out) and so do the
        failed logins that may have locked the name."""
        with self._revoking() as conn:
            row = _find(conn, municipality, username)
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                         (password_hash, row["id"]))
            conn.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{username}",))
            _revoke(conn, row["id"])
            return describe(row)

    @contextlib.contextmanager
    def _revoking(self) -> Iterator[Conn]:
        with self.db.write() as conn:
            yield conn
        announce_committed(self.db.url)
        if self.cache is not None:
            self.cache.revoked()


def _find(conn: Conn, municipality: str, username: str) -> dict:
    """The user, only within `municipality`: another municipality's users are not found
    (not "forbidden"), so an admin learns nothing about them."""
    row = conn.one(f"SELECT {_COLUMNS} FROM users WHERE username = ? AND municipality_code = ?",
                   (username, municipality))
    if row is None:
        raise ApiError(404, "user_not_found",
                       tr("users.err.not_found", username=username, municipality=municipality))
    return row


def _revoke(conn: Conn, user_id: str) -> None:
    conn.execute("DELETE FROM tokens WHERE user_id = ?", (user_id,))
    announce(conn)
