"""Error replies: always `{"error": code, "detail": text}` with a fitting status, so a client can
branch on the code. Internal errors never echo their message (it could hold data or secrets)."""

from __future__ import annotations

import logging
import sys

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from survey_app.server.db import DatabaseUnavailable

log = logging.getLogger("survey_app.server")


class ErrorBody(BaseModel):
    """The body of every error reply (documented in the OpenAPI schema)."""

    error: str
    detail: str


_MEANING = {
    400: "the body could not be read (not UTF-8 JSON)",
    401: "no valid bearer token (or wrong user name or password at login)",
    403: "the caller's role may not do this",
    404: "no such record in the caller's municipality",
    409: "conflicts with the record's current state",
    413: "request body too large",
    422: "invalid request (the detail names the field and the kind of fault)",
    429: "too many failed logins: wait Retry-After seconds",
    503: "database unavailable: retry after Retry-After seconds",
}


def replies(*codes: int) -> dict[int | str, dict]:
    """`responses=` for a route or router: these error statuses, each with an ErrorBody."""
    return {code: {"model": ErrorBody, "description": _MEANING[code]} for code in codes}


# What any route behind a token may answer besides its own errors.
AUTHED = replies(400, 401, 413, 422, 503)


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


def unstorable(err: Exception) -> bool:
    """Input text no database stores: a lone surrogate (from a JSON escape), or on
    PostgreSQL a NUL character (psycopg's DataError). The caller's fault, not the server's."""
    if isinstance(err, UnicodeEncodeError):
        return True
    psycopg = sys.modules.get("psycopg")  # not loaded → not a PostgreSQL error
    return psycopg is not None and isinstance(err, psycopg.DataError)


UNSTORABLE = "text the database cannot store (a NUL character or a lone surrogate)"


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

    async def _unstorable(_: Request, err: Exception) -> JSONResponse:
        log.info("request refused: %s", UNSTORABLE)
        return _reply(422, "invalid", UNSTORABLE)

    app.add_exception_handler(UnicodeEncodeError, _unstorable)
    # The app's state opened the database before this runs: psycopg is loaded iff PostgreSQL.
    if (psycopg := sys.modules.get("psycopg")) is not None:
        app.add_exception_handler(psycopg.DataError, _unstorable)

    @app.exception_handler(DatabaseUnavailable)
    async def _db(_: Request, err: DatabaseUnavailable) -> JSONResponse:
        log.warning("database unavailable: %s", err)
        return _reply(503, "db_unavailable", "", {"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _internal(_: Request, err: Exception) -> JSONResponse:
        log.error("internal error: %s", type(err).__name__, exc_info=err)
        return _reply(500, "internal", "")
