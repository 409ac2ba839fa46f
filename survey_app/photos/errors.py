"""The errors of photo intake: each carries a stable `code` and a translated message."""

from __future__ import annotations

# Codes an unusable image gets; the CLI prints them and the UI may map them to icons.
IMAGE_ERROR_CODES = ("corrupt", "truncated", "not_image", "empty", "unreadable", "too_large")


class PhotoError(Exception):
    """Base of every photo error; `str(err)` is the message for the user (already translated)."""

    code = "photo_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class ImageRejected(PhotoError):
    """The file is not an image we can use; `code` is one of IMAGE_ERROR_CODES."""

    code = "corrupt"


class InvalidBlobId(PhotoError, ValueError):
    """A blob id that is not 64 lowercase hex digits (it would be unsafe as a path)."""

    code = "invalid_sha"


class BlobNotFound(PhotoError, LookupError):
    code = "blob_missing"


class BlobWriteError(PhotoError):
    """Storing an original failed (disk full, permissions); nothing partial was left behind."""

    code = "write_failed"
