"""Login and logout, who am I, the health check (the only open endpoint) and user admin."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from survey_app.server.auth import (
    CurrentUser,
    create_user,
    issue_token,
    require_role,
    token_hash,
)
from survey_app.server.context import Ctx
from survey_app.server.errors import ApiError
from survey_app.server.models import Login, NewUser
from survey_app.server.records import delete_link
from survey_app.server.revisions import Revisions

log = logging.getLogger("survey_app.server")
router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict:
    return {"status": "ok"}


@router.post("/auth/login", tags=["auth"])
async def login(body: Login, request: Request) -> dict:
    server = request.app.state.server
    ip = request.client.host if request.client else "?"
    wait = await run_in_threadpool(server.limiter.retry_after, server.db, body.username, ip)
    if wait is not None:
        raise ApiError(429, "rate_limited", "too many failed logins",
                       headers={"Retry-After": str(int(wait))})
    with server.db.read() as conn:
        row = conn.one("SELECT id, username, role, municipality_code, password_hash FROM users"
                       " WHERE username = ? AND active = 1", (body.username,))
    ok = await run_in_threadpool(server.passwords.verify,
                                 row["password_hash"] if row else None, body.password)
    if not ok:
        await run_in_threadpool(server.limiter.failed, server.db, body.username, ip)
        log.info("login failed for a user name from %s", ip)  # neither name nor password
        raise ApiError(401, "bad_credentials", "wrong user name or password")
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


@router.post("/admin/users", tags=["admin"])
def add_user(user: CurrentUser, body: NewUser, request: Request) -> dict:
    require_role(user, "admin")
    server = request.app.state.server
    hashed = server.passwords.hash(body.password)
    with server.db.write() as conn:
        create_user(conn, municipality_code=user.municipality_code, username=body.username,
                    password_hash=hashed, role=body.role)
    return {"username": body.username, "role": body.role,
            "municipality_code": user.municipality_code}


@router.get("/admin/users", tags=["admin"])
def list_users(user: CurrentUser, request: Request) -> dict:
    require_role(user, "admin")
    with request.app.state.server.db.read() as conn:
        rows = conn.all("SELECT username, role, active, created_at FROM users"
                        " WHERE municipality_code = ? ORDER BY username",
                        (user.municipality_code,))
    return {"users": rows}


@router.delete("/surveys/{survey_id}/photos/{sha}", tags=["office"])
def detach_photo(user: CurrentUser, survey_id: str, sha: str, request: Request) -> dict:
    require_role(user, "office", "admin")
    with request.app.state.server.db.write() as conn:
        revs = Revisions(conn, user.municipality_code)
        result = delete_link(Ctx(conn, user, revs), survey_id, sha)
        revs.finish()
    return result
