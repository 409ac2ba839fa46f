"""The server's content-addressed photo store: root/aa/<sha256>.

Bytes are verified against their hash before they get a name, written to a temp file inside
the root, fsynced and renamed into place. A batch fsyncs each touched folder once at the end
before the reply says "stored". The 256 folders are made when the store opens, so storing a
photo never makes a folder. (The server used to keep the laptop's root/aa/bb/<sha256>: on a
young server nearly every photo then made and flushed a folder of its own, ~2 ms of CPU per
laptop's batch. Photos stored that way stay where they are and are found there.)

A batch is written on its request's own thread, one file after another. Flushing the files
in parallel on a pool of threads made one batch a little quicker on an idle server, but each
hand-off costs CPU, and a burst of laptops leaves no CPU idle: measured, the pool cost a
batch of 6 small photos ~1.6 ms more CPU (6.0 against 4.4 ms) and made the busy server's
slowest requests slower. Batches of different laptops still run side by side (file threads).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from survey_app.photos.blobstore import check_sha

_TEMP_PREFIX = ".incoming-"
_READ = 1 << 20


class ServerBlobs:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._make_fan_out()

    def _make_fan_out(self) -> None:
        """The 256 first-level folders, made (and flushed) once: a stored photo then never
        needs the root folder flushed, which every upload's temp file keeps dirty."""
        made = False
        for n in range(256):
            folder = self.root / f"{n:02x}"
            if not folder.is_dir():
                folder.mkdir(exist_ok=True)
                made = True
        if made:
            _fsync_dirs({self.root})

    def path_for(self, sha: str) -> Path:
        """Where a photo is stored now."""
        return blob_path(self.root, sha)

    def locate(self, sha: str) -> Path | None:
        """The stored file of a photo (in either layout), or None."""
        for path in (blob_path(self.root, sha), _earlier_path(self.root, sha)):
            if path.is_file():
                return path
        return None

    def has(self, sha: str) -> bool:
        return self.locate(sha) is not None

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> dict[str, str]:
        """{sha: stored|already|rejected}; a rejected item's bytes did not match its hash."""
        results: dict[str, str] = {}
        new: list[tuple[str, bytes]] = []
        for sha, data in items:
            if hashlib.sha256(data).hexdigest() != sha:
                results[sha] = "rejected"
            elif self.has(sha) or sha in results:
                results[sha] = "already"
            else:
                new.append((sha, data))
                results[sha] = "stored"
        dirs: set[Path] = set()
        for sha, data in new:
            dirs |= self._place(sha, data)
        _fsync_dirs(dirs)
        return results

    def put_parts(self, sha: str, size: int, parts: Iterable[Path]) -> str:
        """Join chunk files into one blob if their bytes hash to `sha` and add up to `size`;
        'stored', 'already' or 'rejected' (then nothing was kept)."""
        if self.has(sha):
            return "already"
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            digest, total = _copy_hashing(fd, parts)
            if digest != sha or total != size:
                temp.unlink()
                return "rejected"
            _fsync_dirs(self._rename(temp, sha))
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return "stored"

    def _place(self, sha: str, data: bytes) -> set[Path]:
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            return self._rename(temp, sha)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise

    def _rename(self, temp: Path, sha: str) -> set[Path]:
        """Move a flushed temp file into place; returns the folders to flush."""
        final = self.path_for(sha)
        changed = {final.parent}
        if not final.parent.is_dir():  # not expected: the fan-out is made at start
            final.parent.mkdir(parents=True, exist_ok=True)
            changed.add(self.root)
        os.chmod(temp, 0o444)
        os.replace(temp, final)
        return changed


def blob_path(root: Path, sha: str) -> Path:
    check_sha(sha)
    return root / sha[:2] / sha


def _earlier_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha[2:4] / sha


def _copy_hashing(fd: int, parts: Iterable[Path]) -> tuple[str, int]:
    digest = hashlib.sha256()
    total = 0
    with os.fdopen(fd, "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                while block := src.read(_READ):
                    digest.update(block)
                    total += len(block)
                    out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), total


def _fsync_dirs(dirs: set[Path]) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to flush it; NTFS journals the rename
    for directory in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """A chunk file: complete or absent, never half-written (the server may be killed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
