"""The HTTP transport of a sync: bounded replies, typed errors, retries with back-off.

Every request of the protocol is idempotent, so any of them may be retried after a cut link or
a busy server; a reply that breaks the protocol is never retried and never trusted.
"""

from __future__ import annotations

import functools
import json
import random
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from survey_app.i18n import tr
from survey_app.sync.errors import (
    AuthError,
    ForbiddenError,
    NetworkError,
    ProtocolError,
    RejectedError,
    ServerBusy,
    SyncError,
    server_message,
)
from survey_app.sync.protocol import MAX_JSON_BYTES

_RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Backoff:
    """Exponential back-off with jitter: base·2ⁿ seconds, at most `cap`, `attempts` tries."""

    base: float = 0.25
    cap: float = 8.0
    attempts: int = 6
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, hint: float | None = None) -> float:
        step = min(self.cap, self.base * (2 ** attempt))
        wait = step * (0.5 + 0.5 * self.rng.random())
        return min(self.cap, max(wait, hint or 0.0))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle takes ~60 ms of CPU, which
    httpx would otherwise spend again for every client (every background sync round)."""
    return httpx.create_ssl_context()


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SyncError(tr("sync.bad_url", url=url), code="bad_url")
    return url.rstrip("/")


class Transport:
    def __init__(self, base_url: str, *, timeout: float = 30.0, backoff: Backoff | None = None,
                 transport: httpx.BaseTransport | None = None,
                 on_request: Callable[[str, str, float, int], None] | None = None) -> None:
        self.base_url = check_base_url(base_url)
        self.backoff = backoff or Backoff()
        self.headers: dict[str, str] = {}
        self.on_request = on_request  # (method, path, seconds, status) for benchmarks
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout,
                                    transport=transport, follow_redirects=False,
                                    verify=_tls_context())

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, path: str, *, json_body: Any = None,
             content: bytes | Iterable[bytes] | None = None,
             headers: dict[str, str] | None = None, params: dict | None = None,
             raw: bool = False, max_bytes: int = MAX_JSON_BYTES, retry: bool = True) -> Any:
        """Send with retries; returns parsed JSON (or bytes when `raw`)."""
        attempt = 0
        while True:
            try:
                return self._once(method, path, json_body, content, headers, params, raw,
                                  max_bytes)
            except (NetworkError, ServerBusy) as err:
                attempt += 1
                if not retry or attempt >= self.backoff.attempts:
                    raise
                hint = err.retry_after if isinstance(err, ServerBusy) else None
                self.backoff.sleep(self.backoff.delay(attempt - 1, hint))

    def _once(self, method, path, json_body, content, headers, params, raw, max_bytes) -> Any:
        if isinstance(content, Iterable) and not isinstance(content, bytes | bytearray):
            content = b"".join(content)  # a retry must be able to send the body again
        body = None if json_body is None else json.dumps(json_body, ensure_ascii=False).encode()
        hdrs = {**self.headers, **(headers or {})}
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            with self._client.stream(method, path, content=body if body is not None else content,
                                     headers=hdrs, params=params) as resp:
                data = _read_bounded(resp, max_bytes)
        except httpx.TransportError as err:
            raise NetworkError(tr("sync.network", reason=type(err).__name__)) from err
        if self.on_request:
            self.on_request(method, path, time.perf_counter() - started, resp.status_code)
        if resp.status_code >= 400:
            raise _error_for(resp, data)
        if raw:
            return data
        return parse_json(data, resp.headers.get("content-type", ""))


def _read_bounded(resp: httpx.Response, max_bytes: int) -> bytes:
    declared = resp.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ProtocolError(tr("sync.reply_too_large", limit=max_bytes))
    chunks, total = [], 0
    for chunk in resp.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise ProtocolError(tr("sync.reply_too_large", limit=max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(data: bytes, content_type: str) -> Any:
    if "json" not in content_type:
        raise ProtocolError(tr("sync.reply_not_json", kind=content_type[:40] or "?"))
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:
        raise ProtocolError(tr("sync.reply_bad_json", reason=str(err)[:80])) from err


def _error_for(resp: httpx.Response, data: bytes) -> SyncError:
    status = resp.status_code
    code, detail = _error_fields(data)
    if status in _RETRY_STATUS:
        after = resp.headers.get("retry-after", "")
        hint = float(after) if after.replace(".", "", 1).isdigit() else None
        return ServerBusy(tr("sync.server_busy", status=status), code=code or "server_busy",
                          status=status, retry_after=min(hint, 60.0) if hint else None)
    if status == 401:
        # A disabled or expired account is told apart: retyping the password will not help.
        message = {"account_disabled": tr("users.client.account_disabled"),
                   "account_expired": tr("users.client.account_expired")}.get(
                       code, tr("sync.auth_failed"))
        return AuthError(message, code=code or "auth", status=status)
    # The user reads the sentence for the code; the server's English detail stays on the error.
    if status in (403, 404):
        return ForbiddenError(server_message(code or "forbidden_role", status),
                              code=code or "forbidden", status=status, detail=detail)
    if status == 413:
        return RejectedError(tr("sync.too_large"), code="too_large", status=status)
    return RejectedError(server_message(code, status), code=code or "rejected", status=status,
                         detail=detail)


def _error_fields(data: bytes) -> tuple[str, str]:
    """(code, detail) from an error body, if it is the JSON the server sends; else blanks."""
    try:
        body = json.loads(data[:4096]) if data else {}
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    code, detail = body.get("error"), body.get("detail")
    return (code[:40] if isinstance(code, str) else "",
            detail[:200] if isinstance(detail, str) else "")
