"""Error replies: always `{"error": code, "detail": text}` with a fitting status, so a client can
branch on the code. Internal errors never echo their message (it could hold data or secrets)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from survey_app.server.db import DatabaseUnavailable

log = logging.getLogger("survey_app.server")


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str = "",
                 headers: dict[str, str] | None = None, extra: dict | None = None) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers
        self.extra = extra or {}  # more fields for a push item's result (e.g. missing blobs)


def _reply(status: int, code: str, detail: str = "", headers: dict | None = None
           ) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, err: ApiError) -> JSONResponse:
        return _reply(err.status, err.code, err.detail, err.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        # Only the location and the kind of fault: the offending input may be a password.
        return _reply(422, "invalid", f"{where}: {first.get('type', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = "too_large" if err.status_code == 413 else f"http_{err.status_code}"
        return _reply(err.status_code, code, str(err.detail)[:200])

    @app.exception_handler(DatabaseUnavailable)
    async def _db(_: Request, err: DatabaseUnavailable) -> JSONResponse:
        log.warning("database unavailable: %s", err)
        return _reply(503, "db_unavailable", "", {"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _internal(_: Request, err: Exception) -> JSONResponse:
        log.error("internal error: %s", type(err).__name__, exc_info=err)
        return _reply(500, "internal", "")
