"""Errors of a sync: each carries a stable `code` and a message ready to show (Japanese first).

`retryable` tells the engine whether to try again later with back-off (a cut link, a busy
server) or to stop and show the error (a wrong password, a reply we cannot trust).

The server answers with a code and an English `detail` written for administrators. The user
reads a plain sentence chosen by the code (`server_message`); the code and the detail stay on
the error (and in the outbox) for the log and the support bundle, never in that sentence.
"""

from __future__ import annotations

from survey_app.i18n import DEFAULT_LANG, catalogue, tr


def server_message(code: str, status: int | None = None) -> str:
    """The plain sentence for an error code of the server, in the current language.

    Every code the server sends has its own `sync.code.<code>` message (a test reads the
    server's sources to make sure); a code from a newer server gets the general sentence."""
    if code.startswith("http_") and code[5:].isdigit():  # Starlette's own errors (no route...)
        return tr("sync.code.http", status=code[5:])
    key = f"sync.code.{code}"
    if code and key in catalogue(DEFAULT_LANG):
        return tr(key)
    return tr("sync.code.unknown", status=status or "?")


class SyncError(Exception):
    code = "sync_error"
    retryable = False

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 detail: str = "") -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.status = status
        self.detail = detail  # the server's own words, for the log: not shown to the user

    @property
    def message(self) -> str:
        return str(self.args[0])


class NetworkError(SyncError):
    """The server could not be reached or the connection broke."""

    code = "network"
    retryable = True


class ServerBusy(SyncError):
    """5xx or 429: the server is there but cannot answer now."""

    code = "server_busy"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class AuthError(SyncError):
    """Wrong user name or password, or an expired token."""

    code = "auth"


class ForbiddenError(SyncError):
    """The user's role or municipality does not allow this."""

    code = "forbidden"


class RejectedError(SyncError):
    """The server refused a request as invalid (4xx other than the above)."""

    code = "rejected"


class ProtocolError(SyncError):
    """The reply is malformed, too large or not what the protocol promises: nothing from it
    is stored."""

    code = "protocol"
