"""Pulling: the server's changes since this laptop's cursor, page by page (each page and the
cursor move in one transaction, so a cut link repeats at most one page), then the photos of
the laptop's surveys that it does not hold yet, each verified against its hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from survey_app.services.sync.apply import apply_changes, guarded, settle_heads
from survey_app.services.sync.state import ProgressBoard
from survey_app.services.workspace import Workspace
from survey_app.store.canonical import canonical
from survey_app.sync.client import SyncClient

PAGE = 500
MAX_BLOB = 512 << 20


def cursor_key(client: SyncClient) -> str:
    """One cursor per server and user: another login sees another part of the data."""
    return f"cursor|{client.http.base_url}|{client.identity.get('username', '')}"


def get_cursor(ws: Workspace, key: str) -> int:
    row = ws.store.db.execute("SELECT value FROM sync_meta WHERE key = ?", [key]).fetchone()
    return int(row[0]) if row else 0


def set_meta(ws: Workspace, key: str, value: str) -> None:
    ws.store.db.execute("INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
                        " DO UPDATE SET value = excluded.value", [key, value])


@dataclass
class Pulled:
    count: int = 0
    summary: dict | None = None  # the server's end-of-sync digests, read with the last page


def pull(ws: Workspace, client: SyncClient, board: ProgressBoard, *, full: bool = False,
         first: tuple[int, dict] | None = None) -> Pulled:
    """Apply every change after the cursor (from 0, own changes included, when `full`).
    `first`: (cursor, page) already brought by the push; used if the cursor is still there."""
    key = cursor_key(client)
    since = 0 if full else get_cursor(ws, key)
    applied = 0
    board.update(phase="pull")
    while True:
        if first is not None and not full and first[0] == since:
            reply, first = first[1], None
        else:
            reply = client.changes(since, limit=PAGE, own=full, summary=True)
        changes = reply["changes"]
        with guarded(ws.store):
            touched = apply_changes(ws.store, changes, me=client.identity.get("username", ""))
            settle_heads(ws.store, touched)
            set_meta(ws, key, str(reply["next_since"]))
            if changes:
                ws.store.audit.append(
                    actor=ws.actor, action="sync_pull", entity="sync",
                    entity_id=str(reply["next_since"]),
                    payload={"count": len(changes), "digest": hashlib.sha256(canonical(
                        [[c["entity"], c["id"], c["op"]] for c in changes]).encode()
                    ).hexdigest()})
        applied += len(changes)
        board.add(records_done=len(changes), records_total=len(changes))
        since = reply["next_since"]
        if not reply["more"]:
            return Pulled(applied, reply.get("summary"))


def missing_photos(ws: Workspace) -> list[tuple[str, int | None]]:
    """(sha, size if known) of photos linked to local surveys but absent from the blobs."""
    rows = ws.store.db.execute(
        "SELECT DISTINCT sp.sha256, p.size FROM survey_photos sp LEFT JOIN photos p"
        " ON p.sha256 = sp.sha256 ORDER BY sp.sha256").fetchall()
    return [(sha, size) for sha, size in rows if not ws.blobs.has(sha)]


def download_photos(ws: Workspace, client: SyncClient, board: ProgressBoard) -> int:
    """Fetch the photos of local surveys that this laptop does not hold yet."""
    wanted = missing_photos(ws)
    if not wanted:
        return 0
    board.update(phase="download")
    board.add(photos_total=len(wanted), bytes_total=sum(size or 0 for _, size in wanted))
    for sha, size in wanted:
        # Verified against sha before it is kept; a lying size only makes the check fail.
        data = client.download_blob(sha, size if isinstance(size, int) else None, MAX_BLOB,
                                    on_bytes=lambda n: board.add(bytes_done=n))
        ws.blobs.put_bytes(data)
        board.add(photos_done=1, **({} if size and size > 65536 else {"bytes_done": len(data)}))
    return len(wanted)
