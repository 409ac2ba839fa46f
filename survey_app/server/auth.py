"""Who is calling: argon2 password hashes, opaque bearer tokens stored only as SHA-256, a
login rate limit, and the role and municipality every other endpoint checks.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request

from survey_app.server.db import Conn, Database
from survey_app.server.errors import ApiError
from survey_app.server.settings import Settings
from survey_app.store.ids import new_id, now_iso
from survey_app.sync.protocol import ROLES


@dataclass(frozen=True)
class User:
    id: str
    username: str
    role: str
    municipality_code: str

    @property
    def is_office(self) -> bool:
        return self.role in ("office", "admin")


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(time_cost=settings.argon2_time_cost,
                                      memory_cost=settings.argon2_memory_kib,
                                      parallelism=settings.argon2_parallelism)
        self._gate = threading.BoundedSemaphore(settings.hash_concurrency)
        # Verified for unknown users too, so a wrong name takes as long as a wrong password.
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        with self._gate:
            return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        with self._gate:
            try:
                return self._hasher.verify(stored or self._dummy, password) and stored is not None
            except (VerificationError, InvalidHashError):
                return False


class LoginLimiter:
    """Failed logins per user name and per client address within a sliding window."""

    def __init__(self, settings: Settings) -> None:
        self.window = settings.login_window_s
        self.limits = {"user": settings.login_fail_limit, "ip": settings.login_ip_limit}
        self._fails: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, username: str, ip: str) -> float | None:
        now = time.monotonic()
        with self._lock:
            for kind, key in (("user", username), ("ip", ip)):
                fails = self._prune(kind, key, now)
                if len(fails) >= self.limits[kind]:
                    return max(1.0, self.window - (now - fails[0]))
        return None

    def failed(self, username: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._fails[("user", username)].append(now)
            self._fails[("ip", ip)].append(now)

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._fails.pop(("user", username), None)

    def _prune(self, kind: str, key: str, now: float) -> deque[float]:
        fails = self._fails[(kind, key)]
        while fails and now - fails[0] > self.window:
            fails.popleft()
        return fails


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(conn: Conn, user_id: str, ttl_s: int) -> tuple[str, float]:
    token = secrets.token_urlsafe(32)
    expires = time.time() + ttl_s
    conn.execute("INSERT INTO tokens (token_hash, user_id, created_at, expires_at)"
                 " VALUES (?, ?, ?, ?)", (token_hash(token), user_id, now_iso(), expires))
    return token, expires


def user_for_token(db: Database, token: str) -> User | None:
    with db.read() as conn:
        row = conn.one("SELECT u.id, u.username, u.role, u.municipality_code FROM tokens t"
                       " JOIN users u ON u.id = t.user_id"
                       " WHERE t.token_hash = ? AND t.expires_at > ? AND u.active = 1",
                       (token_hash(token), time.time()))
    return None if row is None else User(**row)


def current_user(request: Request) -> User:
    """FastAPI dependency: the caller, from `Authorization: Bearer <token>`."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise ApiError(401, "auth", "bearer token required",
                       headers={"WWW-Authenticate": "Bearer"})
    user = user_for_token(request.app.state.server.db, token.strip())
    if user is None:
        raise ApiError(401, "auth", "invalid or expired token",
                       headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise ApiError(403, "forbidden_role", f"requires role {'/'.join(roles)}")


def create_user(conn: Conn, *, municipality_code: str, username: str, password_hash: str,
                role: str) -> str:
    """Add a user; hash the password (Passwords.hash) before the transaction, not inside it."""
    if role not in ROLES:
        raise ApiError(422, "invalid_role", role)
    if conn.one("SELECT id FROM users WHERE username = ?", (username,)):
        raise ApiError(409, "user_exists", username)
    user_id = new_id()
    conn.execute("INSERT INTO users (id, username, municipality_code, role, password_hash,"
                 " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                 (user_id, username, municipality_code, role, password_hash, now_iso()))
    return user_id
