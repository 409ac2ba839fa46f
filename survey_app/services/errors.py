"""Plain-language messages for the failures a field laptop meets: a full disk, a store the user
may not write, a damaged or locked database. Qt-free, so the desktop app, the command line and
background jobs all say the same thing.

    try:
        fieldwork.save_draft(ws, survey_id, observations)
    except Exception as err:
        show(user_message(err))      # 「ディスクの空き容量が不足しているため保存できませんでした…」

Only the exception (and its causes) is looked at; the caller decides what was lost or kept.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator

from survey_app.i18n import tr
from survey_app.photos.errors import PhotoError

# SQLite primary result codes (sqlite3.h); the extended code's low byte is the primary one.
_SQLITE_KINDS = {
    13: "disk_full",  # SQLITE_FULL
    3: "permission",  # SQLITE_PERM
    8: "permission",  # SQLITE_READONLY
    14: "cannot_open",  # SQLITE_CANTOPEN
    11: "corrupt",  # SQLITE_CORRUPT
    26: "corrupt",  # SQLITE_NOTADB
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    10: "io",  # SQLITE_IOERR
}
_ERRNO_KINDS = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EROFS: "permission",
    errno.EIO: "io",
}
# Older SQLite builds set no error code on the exception; these texts are SQLite's own.
_SQLITE_TEXTS = (
    ("database or disk is full", "disk_full"),
    ("attempt to write a readonly database", "permission"),
    ("database disk image is malformed", "corrupt"),
    ("file is not a database", "corrupt"),
    ("unable to open database file", "cannot_open"),
    ("database is locked", "busy"),
    ("disk i/o error", "io"),
)
KINDS = ("disk_full", "permission", "cannot_open", "corrupt", "busy", "io", "photo", "unknown")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, then what caused it (raise ... from, or raised while handling)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _kind_of_one(exc: BaseException) -> str | None:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None and (code & 0xFF) in _SQLITE_KINDS:
            return _SQLITE_KINDS[code & 0xFF]
        text = str(exc).lower()
        return next((kind for needle, kind in _SQLITE_TEXTS if needle in text), None)
    if isinstance(exc, OSError):
        if exc.errno in _ERRNO_KINDS:
            return _ERRNO_KINDS[exc.errno]
        if isinstance(exc, PermissionError):
            return "permission"
    return None


def error_kind(exc: BaseException) -> str:
    """One of KINDS: what went wrong, for choosing a message, an icon or whether to retry."""
    for link in _chain(exc):
        kind = _kind_of_one(link)
        if kind is not None:
            return kind
    return "photo" if isinstance(exc, PhotoError) else "unknown"


def user_message(exc: BaseException) -> str:
    """A message for the user, in the current language, naming the cause and what to do."""
    kind = error_kind(exc)
    if isinstance(exc, PhotoError):
        # Photo errors already carry a translated message that names the file.
        return exc.message
    if kind == "unknown":
        return tr("errors.unexpected", kind=type(exc).__name__, detail=str(exc)[:200])
    return tr(f"errors.{kind}")
