"""Login and logout, who am I, the health check (the only open endpoint); the user admin
endpoints live in user_routes and are mounted here."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from survey_app.server import user_routes
from survey_app.server.accounts import account_refusal
from survey_app.server.auth import (
    CurrentUser,
    issue_token,
    require_role,
    token_hash,
)
from survey_app.server.context import Ctx
from survey_app.server.errors import ApiError, replies
from survey_app.server.models import Login
from survey_app.server.records import delete_link
from survey_app.server.revisions import Revisions

log = logging.getLogger("survey_app.server")
router = APIRouter()
router.include_router(user_routes.router)


@router.get("/health", tags=["meta"], responses=replies(503))
def health(request: Request) -> dict:
    """Up and able to read its database: what a monitor polls (no token, no data)."""
    try:
        with request.app.state.server.db.read() as conn:
            conn.scalar("SELECT 1")
    except Exception as err:  # a refused connection, a broken pooled one: all mean "down"
        log.warning("health check: database unavailable (%s)", type(err).__name__)
        raise ApiError(503, "db_unavailable", "database unavailable",
                       headers={"Retry-After": "2"}) from None
    return {"status": "ok"}


@router.post("/auth/login", tags=["auth"], responses=replies(429))
async def login(body: Login, request: Request) -> dict:
    server = request.app.state.server
    ip = request.client.host if request.client else "?"
    wait = await run_in_threadpool(server.limiter.retry_after, server.db, body.username, ip)
    if wait is not None:
        raise ApiError(429, "rate_limited", "too many failed logins",
                       headers={"Retry-After": str(int(wait))})
    with server.db.read() as conn:
        row = conn.one("SELECT id, username, role, municipality_code, password_hash, active,"
                       " valid_until FROM users WHERE username = ?", (body.username,))
    ok = await run_in_threadpool(server.passwords.verify,
                                 row["password_hash"] if row else None, body.password)
    if not ok:
        await run_in_threadpool(server.limiter.failed, server.db, body.username, ip)
        log.info("login failed for a user name from %s", ip)  # neither name nor password
        raise ApiError(401, "bad_credentials", "wrong user name or password")
    # Only the holder of the right password learns that the account is disabled or expired.
    if (refusal := account_refusal(row)) is not None:
        raise refusal
    await run_in_threadpool(server.limiter.succeeded, server.db, body.username)
    with server.db.write() as conn:
        token, expires = issue_token(conn, row["id"], server.settings.token_ttl_s)
    return {"token": token, "expires_at": expires, "username": row["username"],
            "role": row["role"], "municipality_code": row["municipality_code"]}


@router.post("/auth/logout", tags=["auth"])
def logout(user: CurrentUser, request: Request) -> dict:
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    server = request.app.state.server
    with server.db.write() as conn:
        conn.execute("DELETE FROM tokens WHERE token_hash = ?", (token_hash(token),))
    server.tokens.drop(token_hash(token))
    return {"result": "logged_out"}


@router.get("/me", tags=["auth"])
def me(user: CurrentUser) -> dict:
    return {"username": user.username, "role": user.role,
            "municipality_code": user.municipality_code}


@router.delete("/surveys/{survey_id}/photos/{sha}", tags=["office"], responses=replies(403, 404))
def detach_photo(user: CurrentUser, survey_id: str, sha: str, request: Request) -> dict:
    require_role(user, "office", "admin")
    with request.app.state.server.db.write() as conn:
        revs = Revisions(conn, user.municipality_code)
        result = delete_link(Ctx(conn, user, revs), survey_id, sha)
        revs.finish()
    return result
