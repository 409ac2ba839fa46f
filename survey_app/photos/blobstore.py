"""Content-addressed store of original photos: root/aa/bb/<sha256>, written once, never changed
(except that importing the same photo again repairs a stored copy that no longer matches it).

An original is evidence for a certificate, so it is kept byte for byte and a write is atomic: the
bytes go to a temp file inside the store, are fsynced, get renamed into place and the directory is
fsynced. A failed write (disk full on a field laptop) leaves neither a partial blob nor a temp file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from survey_app.i18n import tr
from survey_app.photos.errors import BlobNotFound, BlobWriteError, InvalidBlobId

CHUNK = 1 << 20
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_TEMP_PREFIX = ".incoming-"


@dataclass(frozen=True)
class BlobRef:
    sha256: str
    size: int
    created: bool  # False when the same bytes were already stored


def check_sha(sha: str) -> str:
    """`sha` unchanged if it is 64 lowercase hex digits; anything else could escape the root."""
    if not isinstance(sha, str) or not _SHA_RE.fullmatch(sha):
        raise InvalidBlobId(tr("photos.invalid_sha", sha=repr(sha)[:80]))
    return sha


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256 hex, size) of a file, read in chunks so a large photo never sits in memory."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def sweep_incoming(self, *, older_than_s: float = 3600.0) -> int:
        """Remove temp files a killed import left behind. Only old ones: another process (the
        app and a sync run share the folder) may be writing a fresh one right now. Temp files
        are only ever made in the root (_put_chunks), so only the root is listed: walking every
        photo folder took 0.5 s (2.3 s from a cold disk) with 20,000 photos, at every opening."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for path in self.root.glob(_TEMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

    def path_for(self, sha: str) -> Path:
        check_sha(sha)
        return self.root / sha[:2] / sha[2:4] / sha

    def has(self, sha: str) -> bool:
        return self.path_for(sha).is_file()

    def open(self, sha: str) -> BinaryIO:
        try:
            return self.path_for(sha).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(tr("photos.blob_missing", sha=sha)) from None

    def verify(self, sha: str) -> bool:
        """True if the stored bytes still hash to `sha` (detects bit rot or tampering)."""
        if not self.has(sha):
            raise BlobNotFound(tr("photos.blob_missing", sha=sha))
        return hash_file(self.path_for(sha))[0] == sha

    def iter_shas(self) -> Iterator[str]:
        """Every stored sha, sorted; temp files and stray names are skipped."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not first.is_dir() or len(first.name) != 2:
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for blob in sorted(second.iterdir()):
                    name = blob.name
                    if (
                        _SHA_RE.fullmatch(name)
                        and name[:2] == first.name
                        and name[2:4] == second.name
                    ):
                        yield name

    def put_file(self, path: Path) -> BlobRef:
        """Store a file's bytes, hashing them while they are copied (one read of the source)."""
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed by the with below; errors mapped here
        except OSError as err:
            message = tr("photos.source_unreadable", path=path, reason=_reason(err))
            raise BlobWriteError(message, code="unreadable") from err
        with source:
            return self._put_chunks(iter(lambda: source.read(CHUNK), b""), source_name=str(path))

    def put_bytes(self, data: bytes) -> BlobRef:
        view = memoryview(data)
        chunks = (view[i : i + CHUNK] for i in range(0, len(view), CHUNK))
        return self._put_chunks(chunks, source_name="<bytes>")

    def _put_chunks(self, chunks: Iterable[bytes | memoryview], source_name: str) -> BlobRef:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # The temp file lives inside the root so the final rename stays on one file system
            # (the blob's own folder is unknown until the bytes have been hashed).
            fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        except OSError as err:
            raise _write_error(err, source_name) from err
        temp = Path(temp_name)
        try:
            sha, size, known = self._write_temp(fd, chunks)
            if known:
                _remove_quietly(temp)
                return BlobRef(sha256=sha, size=size, created=False)
            os.chmod(temp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            created = self._move_into_place(temp, sha, size)
        except OSError as err:
            _remove_quietly(temp)
            raise _write_error(err, source_name) from err
        except BaseException:
            _remove_quietly(temp)
            raise
        return BlobRef(sha256=sha, size=size, created=created)

    def _write_temp(self, fd: int, chunks: Iterable[bytes | memoryview]) -> tuple[str, int, bool]:
        """Fill and close the temp file: (sha, size, already stored intact); only bytes that
        will be moved into place get an fsync."""
        try:
            sha, size = _write_hashing(fd, chunks)
            known = self._intact(sha, size)
            if not known:
                os.fsync(fd)
        finally:
            os.close(fd)
        return sha, size, known

    def _intact(self, sha: str, size: int) -> bool:
        """True if the blob is stored and still holds these bytes: a damaged copy (bit rot, a
        cut write on a card) must not make a good import count as "already stored". The size
        is checked first, so most damage costs no read."""
        final = self.path_for(sha)
        try:
            if final.stat().st_size != size:
                return False
            return hash_file(final)[0] == sha
        except FileNotFoundError:
            return False

    def _move_into_place(self, temp: Path, sha: str, size: int) -> bool:
        final = self.path_for(sha)
        if self._intact(sha, size):  # stored by someone else since _write_temp looked
            _remove_quietly(temp)
            return False
        new_dirs = [d for d in (final.parent.parent, final.parent) if not d.is_dir()]
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a damaged copy: the rename replaces it in one step
            os.chmod(final, stat.S_IRUSR | stat.S_IWUSR)  # Windows will not replace read-only
        try:
            os.replace(temp, final)
        except PermissionError:
            # Windows refuses to replace a read-only file: a concurrent writer stored it first.
            if self._intact(sha, size):
                _remove_quietly(temp)
                return False
            raise
        # The rename is durable once its folder is synced; a folder made just now also needs
        # its own entry synced in its parent (aa in root, bb in aa).
        for directory in [final.parent, *(d.parent for d in reversed(new_dirs))]:
            fsync_dir(directory)
        return True


def _write_hashing(fd: int, chunks: Iterable[bytes | memoryview]) -> tuple[str, int]:
    """Write through os.write on the raw fd (no hidden buffer), hashing the same bytes."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
    return digest.hexdigest(), size


def fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; Windows cannot open a directory for fsync (and NTFS
    # journals the rename), so there it is skipped.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    # Best effort while another error is already on its way to the caller.
    try:
        os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
        os.unlink(path)
    except OSError:
        pass


def _reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def _write_error(err: OSError, source_name: str) -> BlobWriteError:
    if err.errno == errno.ENOSPC:
        return BlobWriteError(tr("photos.disk_full", path=source_name), code="disk_full")
    return BlobWriteError(tr("photos.blob_write_failed", path=source_name, reason=_reason(err)))
