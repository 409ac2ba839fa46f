"""POST /push: a batch of records in one transaction, each item in its own savepoint, so the
reply says item by item what happened ("processed" in Anki's words) and a refused item never
takes the others down with it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError

from survey_app.server import records
from survey_app.server.auth import CurrentUser
from survey_app.server.buildings import push_building
from survey_app.server.context import Ctx
from survey_app.server.errors import UNSTORABLE, ApiError, unstorable
from survey_app.server.models import PushBody, PushItem
from survey_app.server.revisions import Revisions
from survey_app.server.versions import push_version

log = logging.getLogger("survey_app.server")
router = APIRouter()
_ITEM = TypeAdapter(PushItem)
_HANDLERS: dict[str, Callable[[Ctx, dict], dict]] = {
    "disaster": records.push_disaster, "building": push_building,
    "survey": records.push_survey, "version": push_version,
    "photo_link": records.push_link, "status": records.push_status,
}


def item_key(item: dict) -> tuple[str, str]:
    kind = str(item.get("kind", "?"))[:20]
    if kind == "photo_link":
        return kind, f"{item.get('survey_id')}:{item.get('sha256')}"
    if kind == "status":
        return kind, str(item.get("survey_id", ""))
    return kind, str(item.get("id", ""))


@router.post("/push", tags=["sync"])
def push(user: CurrentUser, body: PushBody, request: Request) -> dict:
    server = request.app.state.server
    device = request.headers.get("x-device-id", "")[:64]
    results = []
    with server.db.write() as conn:
        revs = Revisions(conn, user.municipality_code, origin=device)
        ctx = Ctx(conn, user, revs)
        for raw in body.items:
            results.append(_one(ctx, raw))
        revs.finish()
    return {"results": results}


def _one(ctx: Ctx, raw: dict) -> dict:
    kind, key = item_key(raw)
    head = {"kind": kind, "id": key}
    try:
        item = _ITEM.validate_python(raw).model_dump()
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return {**head, "result": "rejected", "code": "invalid",
                "detail": f"{where}: {first.get('type')}"}
    try:
        return {**head, **_apply(ctx, kind, item)}
    except ApiError as err:
        return {**head, "result": "rejected", "code": err.code, "detail": err.detail,
                **err.extra}
    except Exception as err:
        if unstorable(err):  # refused alone, like an invalid item
            return {**head, "result": "rejected", "code": "invalid", "detail": UNSTORABLE}
        if not _is_integrity(err):
            raise
        # e.g. an id already used by another municipality: refused, nothing else told.
        log.info("push item refused by a constraint: %s %s", kind, type(err).__name__)
        return {**head, "result": "rejected", "code": "integrity", "detail": ""}


def _apply(ctx: Ctx, kind: str, item: dict) -> dict:
    mark = ctx.revs.mark()
    try:
        with ctx.conn.savepoint():
            return _HANDLERS[kind](ctx, item)
    except BaseException:
        ctx.revs.rollback_to(mark)  # the savepoint took the item's rows back: its changes too
        raise


def _is_integrity(err: Exception) -> bool:
    if isinstance(err, sqlite3.IntegrityError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(err, psycopg.IntegrityError)
