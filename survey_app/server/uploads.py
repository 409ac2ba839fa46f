"""Resumable chunked uploads of large photos: register (sha, size), PUT numbered chunks each
with its own SHA-256 (echoed back), ask which chunks arrived to resume after a cut, and commit,
which joins the chunks only if the whole file hashes to the registered sha.

A chunk is written atomically and fsynced before it is acknowledged, so a killed server
resumes from exactly the chunks it said it had.
"""

from __future__ import annotations

import hashlib
import shutil
import time
import uuid

from fastapi import APIRouter, Header, Path, Request

from survey_app.server.auth import CurrentUser, User
from survey_app.server.blob_routes import BYTES_BODY, own_blobs
from survey_app.server.blobs import write_atomic
from survey_app.server.errors import ApiError, replies
from survey_app.server.models import NewUpload
from survey_app.server.workers import on_file_thread
from survey_app.store.ids import new_id, now_iso

router = APIRouter()
UploadId = Path(..., pattern="^[0-9a-f-]{36}$")
_DONE_NS = uuid.UUID("8d3f7a52-6c1b-4f0e-b7a4-2e9c5d1f3a60")


def _info(conn, upload: dict) -> dict:  # noqa: ANN001 - db.Conn
    received = [r["n"] for r in conn.all("SELECT n FROM upload_chunks WHERE upload_id = ?"
                                         " ORDER BY n", (upload["id"],))]
    return {"upload_id": upload["id"], "chunk_size": upload["chunk_size"],
            "size": upload["size"], "sha256": upload["sha256"], "received": received,
            "complete": bool(upload["committed"])}


def _owned(conn, municipality: str, sha: str) -> bool:  # noqa: ANN001
    return conn.one("SELECT 1 AS x FROM blob_owners WHERE sha256 = ? AND municipality_code = ?",
                    (sha, municipality)) is not None


@router.post("/uploads", tags=["blobs"])
def open_upload(user: CurrentUser, body: NewUpload, request: Request) -> dict:
    server = request.app.state.server
    with server.db.write() as conn:
        if _owned(conn, user.municipality_code, body.sha256):
            return {"upload_id": str(uuid.uuid5(_DONE_NS, body.sha256)), "chunk_size":
                    server.settings.chunk_size, "received": [], "complete": True}
        row = conn.one("SELECT * FROM uploads WHERE municipality_code = ? AND sha256 = ?",
                       (user.municipality_code, body.sha256))
        if row is not None and row["size"] != body.size:
            conn.execute("DELETE FROM uploads WHERE id = ?", (row["id"],))
            row = None
        if row is None:
            row = {"id": new_id(), "size": body.size, "sha256": body.sha256,
                   "chunk_size": server.settings.chunk_size, "committed": 0}
            conn.execute("INSERT INTO uploads (id, municipality_code, user_id, sha256, size,"
                         " chunk_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (row["id"], user.municipality_code, user.id, body.sha256, body.size,
                          row["chunk_size"], now_iso()))
        return _info(conn, row)


def _upload(conn, user: User, upload_id: str) -> dict:  # noqa: ANN001
    row = conn.one("SELECT * FROM uploads WHERE id = ?", (upload_id,))
    if row is None or row["municipality_code"] != user.municipality_code:
        raise ApiError(404, "not_found", "upload")
    return row


@router.get("/uploads/{upload_id}", tags=["blobs"], responses=replies(404))
def upload_status(user: CurrentUser, request: Request, upload_id: str = UploadId) -> dict:
    with request.app.state.server.db.read() as conn:
        return _info(conn, _upload(conn, user, upload_id))


@router.put("/uploads/{upload_id}/chunks/{n}", tags=["blobs"], responses=replies(404),
            openapi_extra=BYTES_BODY)
async def put_chunk(user: CurrentUser, request: Request, n: int, upload_id: str = UploadId,
                    claimed: str = Header("", alias="X-Chunk-SHA256")) -> dict:
    data = await request.body()
    return await on_file_thread(request, _store_chunk, request.app.state.server, user,
                                upload_id, n, data, claimed)


def _store_chunk(server, user: User, upload_id: str, n: int, data: bytes,  # noqa: ANN001
                 claimed: str) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    if claimed != digest:
        raise ApiError(422, "chunk_mismatch", "the chunk does not match X-Chunk-SHA256")
    with server.db.read() as conn:
        row = _upload(conn, user, upload_id)
    chunks = max(1, -(-row["size"] // row["chunk_size"]))
    expected = min(row["chunk_size"], row["size"] - n * row["chunk_size"])
    if not 0 <= n < chunks or len(data) != expected:
        raise ApiError(422, "bad_chunk", f"chunk {n} must be {max(expected, 0)} bytes")
    write_atomic(server.settings.upload_dir / upload_id / f"{n:06d}", data)
    with server.db.write() as conn:
        conn.execute("INSERT INTO upload_chunks (upload_id, n, size, sha256) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (upload_id, n) DO UPDATE SET size = excluded.size,"
                     " sha256 = excluded.sha256", (upload_id, n, len(data), digest))
    return {"n": n, "size": len(data), "sha256": digest}


@router.post("/uploads/{upload_id}/commit", tags=["blobs"], responses=replies(404, 409))
async def commit(user: CurrentUser, request: Request, upload_id: str = UploadId) -> dict:
    return await on_file_thread(request, _commit, request.app.state.server, user, upload_id)


def _commit(server, user: User, upload_id: str) -> dict:  # noqa: ANN001 - ServerState
    with server.db.read() as conn:
        row = _upload(conn, user, upload_id)
        info = _info(conn, row)
    if row["committed"]:
        return {"sha256": row["sha256"], "size": row["size"], "result": "already"}
    chunks = max(1, -(-row["size"] // row["chunk_size"]))
    missing = sorted(set(range(chunks)) - set(info["received"]))
    if missing:
        raise ApiError(409, "incomplete", f"{len(missing)} chunk(s) missing")
    folder = server.settings.upload_dir / upload_id
    result = server.blobs.put_parts(row["sha256"], row["size"],
                                    [folder / f"{n:06d}" for n in range(chunks)])
    if result == "rejected":
        _discard(server, upload_id)
        raise ApiError(422, "hash_mismatch", "the uploaded bytes do not hash to the sha256")
    own_blobs(server.db, user.municipality_code, {row["sha256"]: row["size"]})
    with server.db.write() as conn:
        conn.execute("UPDATE uploads SET committed = 1 WHERE id = ?", (upload_id,))
        conn.execute("DELETE FROM upload_chunks WHERE upload_id = ?", (upload_id,))
    shutil.rmtree(folder, ignore_errors=True)
    return {"sha256": row["sha256"], "size": row["size"], "result": result}


def _discard(server, upload_id: str) -> None:  # noqa: ANN001
    with server.db.write() as conn:
        conn.execute("DELETE FROM upload_chunks WHERE upload_id = ?", (upload_id,))
        conn.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))
    shutil.rmtree(server.settings.upload_dir / upload_id, ignore_errors=True)


def purge_stale(server) -> int:  # noqa: ANN001 - ServerState
    """Drop uploads never finished within upload_ttl_s (run at start-up); returns how many."""
    cutoff = time.time() - server.settings.upload_ttl_s
    cutoff_iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(cutoff))
    with server.db.read() as conn:
        stale = [r["id"] for r in conn.all(
            "SELECT id FROM uploads WHERE created_at < ?", (cutoff_iso,))]
    for upload_id in stale:
        _discard(server, upload_id)
    return len(stale)
