"""The admin API for users: admins only, and only within their own municipality.

POST /admin/users                       add (a lent account with `valid_until`, `home_municipality`)
GET  /admin/users                       list
PATCH /admin/users/{username}           disable/enable, change the last day or the note
POST /admin/users/{username}/password   set a new password (signs the user out everywhere)
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, StringConstraints
from starlette.concurrency import run_in_threadpool

from survey_app.i18n import tr
from survey_app.server.auth import CurrentUser, User, require_role
from survey_app.server.errors import ApiError, replies
from survey_app.server.models import NewUser
from survey_app.server.users import MAX_NOTE, UNSET, UserAdmin

router = APIRouter(prefix="/admin/users", tags=["admin"], responses=replies(403, 404, 409))
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]


class NewUserBody(NewUser):
    valid_until: dt.date | None = None
    home_municipality: Note = ""


class UserChange(BaseModel):
    """Only the fields given change; `"valid_until": null` removes the last day."""

    model_config = ConfigDict(extra="forbid")
    active: bool | None = None
    valid_until: dt.date | None = None
    home_municipality: Note | None = None


class NewPassword(BaseModel):
    password: Password


def _admin(user: User, request: Request) -> UserAdmin:
    require_role(user, "admin")
    server = request.app.state.server
    return UserAdmin(server.db, server.tokens)


@router.post("", responses=replies(403, 404, 409))
async def add_user(user: CurrentUser, body: NewUserBody, request: Request) -> dict:
    admin = _admin(user, request)
    hashed = await run_in_threadpool(request.app.state.server.passwords.hash, body.password)
    until = body.valid_until.isoformat() if body.valid_until else None
    added = await run_in_threadpool(
        admin.add, user.municipality_code, username=body.username, password_hash=hashed,
        role=body.role, valid_until=until, home=body.home_municipality)
    return {**added, "municipality_code": user.municipality_code}


@router.get("", responses=replies(403))
def list_users(user: CurrentUser, request: Request) -> dict:
    return {"users": _admin(user, request).list(user.municipality_code)}


@router.patch("/{username}", responses=replies(403, 404, 409))
def change_user(user: CurrentUser, username: str, body: UserChange, request: Request) -> dict:
    admin = _admin(user, request)
    given = body.model_fields_set
    if username == user.username and (body.active is False or "valid_until" in given):
        # An admin who locks themselves out needs the server's command line to get back in.
        raise ApiError(409, "own_account", tr("users.err.own_account"))
    until: object = UNSET
    if "valid_until" in given:
        until = body.valid_until.isoformat() if body.valid_until else None
    return admin.change(user.municipality_code, username,
                        active=body.active if "active" in given else None,
                        valid_until=until, home=body.home_municipality)


@router.post("/{username}/password", responses=replies(403, 404))
async def reset_password(user: CurrentUser, username: str, body: NewPassword,
                         request: Request) -> dict:
    admin = _admin(user, request)
    hashed = await run_in_threadpool(request.app.state.server.passwords.hash, body.password)
    changed = await run_in_threadpool(admin.reset_password, user.municipality_code, username,
                                      hashed)
    return {**changed, "result": "password_reset"}
