"""Photos by SHA-256: which ones the server lacks, small ones in verified batches, and the
bytes back for a laptop that needs them. A municipality "has" a blob only once it uploaded
the bytes itself: knowing a hash proves nothing."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse

from survey_app.server.auth import CurrentUser, User
from survey_app.server.db import Database
from survey_app.server.errors import ApiError, replies
from survey_app.server.models import Shas
from survey_app.server.scope import building_filter
from survey_app.server.workers import on_file_thread
from survey_app.store.ids import now_iso
from survey_app.sync.protocol import BatchFormatError, decode_batch

router = APIRouter()
ShaPath = Path(..., pattern="^[0-9a-f]{64}$")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
# Bodies read as raw bytes (not by FastAPI), declared by hand so the document shows them.
BYTES_BODY = {"requestBody": {"required": True,
                              "content": {"application/octet-stream": _BINARY}}}


def own_blobs(db: Database, municipality: str, sized: dict[str, int]) -> None:
    """Record blobs (already durable on disk) as held by `municipality`."""
    if not sized:
        return
    now = now_iso()
    with db.write() as conn, conn.pipelined():  # both rows sets and COMMIT: one wait
        conn.insert_rows("INSERT INTO blobs (sha256, size, created_at)",
                         [(sha, size, now) for sha, size in sorted(sized.items())],
                         "ON CONFLICT (sha256) DO NOTHING")
        conn.insert_rows("INSERT INTO blob_owners (sha256, municipality_code)",
                         [(sha, municipality) for sha in sorted(sized)],
                         "ON CONFLICT (sha256, municipality_code) DO NOTHING", commit=True)


@router.post("/blobs/missing", tags=["blobs"])
def missing(user: CurrentUser, body: Shas, request: Request) -> dict:
    shas = sorted(set(body.shas))
    if not shas:
        return {"missing": []}
    marks = ",".join("?" * len(shas))
    held = {r["sha256"] for r in request.app.state.server.db.query(
        f"SELECT sha256 FROM blob_owners WHERE municipality_code = ? AND sha256 IN ({marks})",
        [user.municipality_code, *shas])}
    return {"missing": [s for s in shas if s not in held]}


@router.post("/blobs/batch", tags=["blobs"], openapi_extra=BYTES_BODY)
async def batch(user: CurrentUser, request: Request) -> dict:
    body = await request.body()
    return await on_file_thread(request, _store_batch, request.app.state.server, user, body)


def _store_batch(server, user: User, body: bytes) -> dict:  # noqa: ANN001 - ServerState
    try:
        items = decode_batch(body)
    except BatchFormatError as err:
        raise ApiError(422, "bad_batch", str(err)) from None
    results = server.blobs.put_many(items)
    sizes = {sha: len(data) for sha, data in items if results[sha] != "rejected"}
    own_blobs(server.db, user.municipality_code, sizes)
    return {"results": [{"sha256": sha, "result": results[sha]} for sha in dict(items)]}


@router.get("/blobs/{sha}", tags=["blobs"], response_class=FileResponse, responses={
    200: {"description": "the photo's bytes", "content": {"application/octet-stream": _BINARY}},
    **replies(404)})
def get_blob(user: CurrentUser, request: Request, sha: str = ShaPath):
    server = request.app.state.server
    cond, params = building_filter(user, "s.building_id")
    with server.db.read() as conn:
        linked = conn.one(
            "SELECT 1 AS x FROM blob_owners o WHERE o.sha256 = ? AND o.municipality_code = ?"
            " AND (? = 1 OR EXISTS (SELECT 1 FROM photo_links l JOIN surveys s"
            f" ON s.id = l.survey_id WHERE l.sha256 = o.sha256 AND l.deleted = 0 AND {cond}))",
            [sha, user.municipality_code, 1 if user.is_office else 0, *params])
    path = None if linked is None else server.blobs.locate(sha)
    if path is None:
        raise ApiError(404, "not_found", "blob")
    return FileResponse(path, media_type="application/octet-stream")
