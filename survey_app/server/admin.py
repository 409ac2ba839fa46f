"""Bootstrap without the API: the first admin of a municipality, made on the server machine
(`survey-app create-admin`). Later users are added by that admin through /admin/users."""

from __future__ import annotations

from survey_app.server.auth import Passwords, create_user
from survey_app.server.db import Database
from survey_app.server.errors import ApiError
from survey_app.server.migrations import apply_migrations
from survey_app.server.settings import Settings
from survey_app.store.ids import now_iso

MIN_PASSWORD = 8


class AdminError(Exception):
    """`code` is user_exists / weak_password / bad_municipality."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def create_admin(settings: Settings, *, municipality_code: str, username: str, password: str,
                 municipality_name: str = "", role: str = "admin") -> None:
    if len(password) < MIN_PASSWORD:
        raise AdminError("weak_password")
    if not municipality_code.strip() or len(municipality_code) > 20:
        raise AdminError("bad_municipality")
    db = Database(settings.database_url, pool_size=1)
    try:
        apply_migrations(db)
        hashed = Passwords(settings).hash(password)
        with db.write() as conn:
            conn.execute("INSERT INTO municipalities (code, name, created_at) VALUES (?, ?, ?)"
                         " ON CONFLICT (code) DO NOTHING",
                         (municipality_code, municipality_name, now_iso()))
            try:
                create_user(conn, municipality_code=municipality_code, username=username,
                            password_hash=hashed, role=role)
            except ApiError as err:
                raise AdminError(err.code) from None
    finally:
        db.close()
