"""POST /push: a batch of records in one transaction, each item all-or-nothing, so the reply
says item by item what happened ("processed" in Anki's words) and a refused item never takes
the others down with it.

Most batches are accepted whole, so the batch first runs under a single savepoint, pipelined
on PostgreSQL (writes go out without waiting); only when an item is refused or fails is the
batch taken back and run again with a savepoint per item. On PostgreSQL that saves most round
trips of every ordinary push.

A push may also ask for the first page of changes after the laptop's cursor (`pull`): its
reply then carries what GET /changes would have answered next, read after the commit."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError

from survey_app.server import pull, records
from survey_app.server.auth import CurrentUser
from survey_app.server.batch_rows import prefetch
from survey_app.server.buildings import push_building
from survey_app.server.context import Ctx, owned_blobs
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
    with server.db.write() as conn:
        revs = Revisions(conn, user.municipality_code, origin=device)
        ctx = Ctx(conn, user, revs, rows=prefetch(conn, user, body.items))
        owned_blobs(ctx, _photos_named(body.items))  # one query for the whole batch
        results = _whole_or_item_by_item(ctx, body.items)
        revs.finish()
    if body.pull is None:
        return {"results": results}
    # Read after the commit, like a GET /changes that would follow: the laptop's last push
    # of a sync also brings down the first page, one round trip fewer on a weak link.
    return {"results": results, "changes": pull.page(
        server.db, user, device, body.pull.since, body.pull.limit, summary=body.pull.summary)}


def _photos_named(items: list[dict]) -> list[str]:
    """The photo hashes a batch refers to (links and versions), as sent: still unchecked."""
    shas: list[str] = []
    for raw in items:
        shas.append(raw.get("sha256"))
        photos = raw.get("photos")
        if isinstance(photos, list):
            shas += photos[:1000]
    return [s for s in shas if isinstance(s, str) and len(s) == 64]


class _Redo(Exception):
    """An item failed while the batch ran under one savepoint."""


def _whole_or_item_by_item(ctx: Ctx, items: list[dict]) -> list[dict]:
    mark = ctx.revs.mark()
    try:
        with ctx.conn.savepoint(), ctx.conn.pipelined():
            return [_one(ctx, raw, alone=False) for raw in items]
    except Exception:  # noqa: BLE001 - an item's failure (_Redo), or a pipelined statement's
        ctx.revs.rollback_to(mark)  # the savepoint took every row back: the changes too
        # ...and the locks taken inside it: read the rows again, as they are now.
        ctx.rows = prefetch(ctx.conn, ctx.user, items)
    return [_one(ctx, raw) for raw in items]


def _one(ctx: Ctx, raw: dict, *, alone: bool = True) -> dict:
    kind, key = item_key(raw)
    head = {"kind": kind, "id": key}
    try:
        item = _ITEM.validate_python(raw).model_dump()
    except ValidationError as err:  # refused before anything was written
        first = err.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return {**head, "result": "rejected", "code": "invalid",
                "detail": f"{where}: {first.get('type')}"}
    if not alone:
        try:
            return {**head, **_HANDLERS[kind](ctx, item)}
        except Exception as err:
            raise _Redo from err
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
