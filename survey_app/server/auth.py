"""Who is calling: argon2 password hashes, opaque bearer tokens stored only as SHA-256, a
login rate limit, and the role and municipality every other endpoint checks.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from survey_app.server.accounts import account_ends_at, account_refusal
from survey_app.server.db import Conn, Database
from survey_app.server.errors import ApiError
from survey_app.server.revocation import Revocations
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
    """Failed logins per user name and per client address within a sliding window, kept in
    the database so every server process (and a restarted one) counts the same failures."""

    def __init__(self, settings: Settings) -> None:
        self.window = settings.login_window_s
        self.limits = {"user": settings.login_fail_limit, "ip": settings.login_ip_limit}

    def retry_after(self, db: Database, username: str, ip: str) -> float | None:
        now = time.time()
        keys = {f"user:{username}": "user", f"ip:{ip}": "ip"}
        with db.read() as conn:
            rows = conn.all("SELECT key, count(*) AS n, min(at) AS first FROM login_failures"
                            " WHERE key IN (?, ?) AND at > ? GROUP BY key",
                            (*keys, now - self.window))
        waits = [self.window - (now - r["first"]) for r in rows
                 if r["n"] >= self.limits[keys[r["key"]]]]
        return max(1.0, max(waits)) if waits else None

    def failed(self, db: Database, username: str, ip: str) -> None:
        now = time.time()
        with db.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - self.window,))
            conn.execute("INSERT INTO login_failures (key, at) VALUES (?, ?), (?, ?)",
                         (f"user:{username}", now, f"ip:{ip}", now))

    def succeeded(self, db: Database, username: str) -> None:
        with db.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{username}",))


class TokenCache:
    """Recently checked tokens, for a few seconds: most requests then skip the token query.
    An entry is good only while the revocation epoch it was checked under still holds, so a
    user disabled (or a password reset) by any process is refused at once; nor does it
    outlive the token or the account's last day."""

    def __init__(self, ttl: float = 15.0, revocations: Revocations | None = None) -> None:
        self.ttl = ttl
        self.revocations = revocations or Revocations()
        self._entries: dict[str, tuple[float, tuple, User]] = {}
        self._lock = threading.Lock()

    def epoch(self) -> tuple | None:
        return self.revocations.epoch()

    def get(self, digest: str) -> User | None:
        epoch = self.epoch()
        if epoch is None:
            return None
        with self._lock:
            hit = self._entries.get(digest)
        if hit and hit[0] > time.monotonic() and hit[1] == epoch:
            return hit[2]
        return None

    def put(self, digest: str, user: User, epoch: tuple | None, ends_at: float) -> None:
        """`epoch` as read before the token was checked; `ends_at` a time.time() instant."""
        if epoch is None:
            return
        lifetime = min(self.ttl, ends_at - time.time())
        if lifetime <= 0:
            return
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + lifetime, epoch, user)

    def drop(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)

    def revoked(self) -> None:
        """Tokens were revoked by this process: forget every entry now."""
        self.revocations.revoked_here()
        with self._lock:
            self._entries.clear()

    def close(self) -> None:
        self.revocations.close()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(conn: Conn, user_id: str, ttl_s: int) -> tuple[str, float]:
    token = secrets.token_urlsafe(32)
    expires = time.time() + ttl_s
    conn.execute("INSERT INTO tokens (token_hash, user_id, created_at, expires_at)"
                 " VALUES (?, ?, ?, ?)", (token_hash(token), user_id, now_iso(), expires))
    return token, expires


def user_for_token(db: Database, token: str, cache: TokenCache | None = None) -> User | None:
    """The token's user; None for an unknown or expired token; ApiError 401 with a plain
    message when the token is good but its account was disabled or has expired."""
    digest = token_hash(token)
    if cache is not None and (user := cache.get(digest)) is not None:
        return user
    epoch = cache.epoch() if cache is not None else None
    with db.read() as conn:
        row = conn.one("SELECT u.id, u.username, u.role, u.municipality_code, u.active,"
                       " u.valid_until, t.expires_at FROM tokens t"
                       " JOIN users u ON u.id = t.user_id"
                       " WHERE t.token_hash = ? AND t.expires_at > ?", (digest, time.time()))
    if row is None:
        return None
    refusal = account_refusal(row)
    if refusal is not None:
        raise refusal
    user = User(row["id"], row["username"], row["role"], row["municipality_code"])
    if cache is not None:
        cache.put(digest, user, epoch, min(row["expires_at"], account_ends_at(row)))
    return user


async def current_user(request: Request) -> User:
    """FastAPI dependency: the caller, from `Authorization: Bearer <token>`. A token checked
    moments ago is answered on the event loop (memory only); only a fresh token goes to the
    database, on a worker thread. Most requests thus cost no thread hand-off here."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise ApiError(401, "auth", "bearer token required",
                       headers={"WWW-Authenticate": "Bearer"})
    server = request.app.state.server
    token = token.strip()
    user = server.tokens.get(token_hash(token)) if server.tokens is not None else None
    if user is None:
        user = await run_in_threadpool(user_for_token, server.db, token, server.tokens)
    if user is None:
        raise ApiError(401, "auth", "invalid or expired token",
                       headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise ApiError(403, "forbidden_role", f"requires role {'/'.join(roles)}")


def create_user(conn: Conn, *, municipality_code: str, username: str, password_hash: str,
                role: str, valid_until: str | None = None, home_municipality: str = "") -> str:
    """Add a user; hash the password (Passwords.hash) before the transaction, not inside it.
    `valid_until`: the last day (ISO date, Japan time) a lent account may sign in."""
    if role not in ROLES:
        raise ApiError(422, "invalid_role", role)
    if conn.one("SELECT id FROM users WHERE username = ?", (username,)):
        raise ApiError(409, "user_exists", username)
    user_id = new_id()
    conn.execute("INSERT INTO users (id, username, municipality_code, role, password_hash,"
                 " created_at, valid_until, home_municipality) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (user_id, username, municipality_code, role, password_hash, now_iso(),
                  valid_until, home_municipality))
    return user_id
