"""The application factory: `create_app(settings)` → a FastAPI app (OpenAPI at /openapi.json).

Every route but /health requires a bearer token (see auth.current_user); request bodies are
bounded per route (limits.BodyLimit).
"""

from __future__ import annotations

import contextlib
import re

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from survey_app import __version__
from survey_app.server import (
    agreement,
    auth_routes,
    blob_routes,
    conflicts,
    errors,
    pull,
    push,
    uploads,
    workers,
)
from survey_app.server.auth import CurrentUser
from survey_app.server.limits import BodyLimit
from survey_app.server.settings import Settings
from survey_app.server.state import ServerState
from survey_app.sync.protocol import MAX_BATCH_BYTES

_CHUNK_PATH = re.compile(r"^/uploads/[^/]+/chunks/\d+$")


def _limit_for(settings: Settings):  # -> Callable[[str, str], int]
    def limit(method: str, path: str) -> int:
        if method == "PUT" and _CHUNK_PATH.match(path):
            return settings.chunk_size
        if path == "/blobs/batch":
            return MAX_BATCH_BYTES
        return settings.max_json_bytes

    return limit


def create_app(settings: Settings) -> FastAPI:
    state = ServerState(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        workers.configure(app.state, settings)
        yield
        state.close()

    app = FastAPI(title="survey_app 災害情報共有サーバ", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.server = state

    # The schema is served behind a token like every route but /health.
    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: CurrentUser) -> JSONResponse:
        return JSONResponse(app.openapi())

    errors.install(app)
    app.add_middleware(BodyLimit, limit_for=_limit_for(settings))
    for module in (auth_routes, push, pull, blob_routes, uploads, agreement, conflicts):
        # Documented on every route (even the open /health, which FastAPI cannot exempt).
        app.include_router(module.router, responses=errors.AUTHED)
    return app
