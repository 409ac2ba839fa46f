"""Backing up a laptop's whole store into one file (a zip), readable by `restore_backup`.

Members, in this order:
  survey.db            a consistent snapshot taken with SQLite's online backup API, so the app
                       may keep saving while it runs (deflated: text compresses well)
  blobs/aa/bb/<sha>    every photo original, stored as is (JPEG does not shrink any further)
  files/<path>         the rest of the workspace a laptop cannot rebuild: office settings,
                       issued certificate PDFs, the app settings
  manifest.json        last, once every hash is known: versions, migrations, counts, the checks
                       of the snapshot, and the size and sha256 of every member

The archive is written to a hidden temp file beside the target and renamed into place only when
complete, so a cancelled, failed or killed backup never leaves a file that looks like a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import secrets
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from survey_app import __version__
from survey_app.i18n import tr
from survey_app.photos.blobstore import (
    BlobStore,
    fsync_dir,
)
from survey_app.services import store_facts
from survey_app.services.errors import error_kind
from survey_app.store.ids import now_iso

FORMAT = "survey-app-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_NAME = "survey.db"
BLOBS_DIR = "blobs"
FILES_PREFIX = "files/"
DB_FILES = frozenset({DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"})
# Not copied into a backup, because each is rebuilt or reinstalled rather than lost: the map
# page cache, the basemap tiles (large; they come from the tile pack), the logs (they go into
# a support bundle instead), and the blobs (copied by hash, separately).
NOT_BACKED_UP = frozenset({"map", "tiles", "logs", BLOBS_DIR})
TEMP_MARKS = (".tmp", ".part", ".incoming-")
CHUNK = 1 << 20

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class BackupError(Exception):
    """A backup or restore that cannot go on; str() is the message for the user."""


class BackupCancelled(BackupError):
    """The user cancelled; nothing was written or replaced."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict
    warnings: list[str] = field(default_factory=list)


class Meter:
    """Counts bytes done against a total, reports progress and honours cancel between chunks."""

    def __init__(self, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.total = max(total, 0)
        self.done = 0
        self.progress = progress
        self.cancel = cancel
        self.advance(0)

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(min(self.done, self.total), self.total)
        if self.cancel and self.cancel():
            raise BackupCancelled(tr("backup.cancelled"))


def io_error(err: OSError, path: Path) -> BackupError:
    """The message for a failed read or write: a full disk is named as such."""
    if error_kind(err) == "disk_full":
        return BackupError(tr("backup.disk_full", path=path))
    return BackupError(tr("backup.io_error", path=path, reason=err.strerror or err))


def check_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise BackupError(tr("backup.no_space", path=folder, needed=_mb(needed), free=_mb(free)))


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f}"


def other_files(home: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """(posix name relative to home, path) of each file a backup copies besides db and blobs."""
    for root, dirs, files in os.walk(home):
        here = Path(root)
        if here == home:
            dirs[:] = [d for d in dirs if d not in NOT_BACKED_UP]
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = here / name
            if here == home and name in DB_FILES:
                continue
            if name.startswith(".") or name.endswith(TEMP_MARKS) or path in skip:
                continue
            yield path.relative_to(home).as_posix(), path


def snapshot_database(db_path: Path, dest: Path) -> dict:
    """Copy the live database to `dest` with the online backup API; facts about the copy."""
    source = sqlite3.connect(db_path, timeout=30)
    try:
        copy = sqlite3.connect(dest)
        try:
            # pages=-1 copies in one step under one read transaction: a consistent snapshot
            # that WAL lets the app write past, and that a concurrent write never restarts.
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            return {
                "migrations": store_facts.applied_migrations(copy),
                "counts": store_facts.table_counts(copy),
                "integrity": store_facts.integrity(copy),
                "audit": store_facts.audit_status(copy).to_dict(),
                "photo_shas": [r[0] for r in copy.execute("SELECT sha256 FROM photos")]
                if store_facts.table_exists(copy, "photos") else [],
            }
        finally:
            copy.close()
    finally:
        source.close()


def add_member(zf: zipfile.ZipFile, path: Path, name: str, *, deflate: bool,
               meter: Meter) -> dict:
    """Stream one file into the archive, hashing the bytes written; its manifest entry."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        info = zipfile.ZipInfo(name, date_time=_zip_time(os.fstat(source.fileno()).st_mtime))
        info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        big = os.fstat(source.fileno()).st_size >= zipfile.ZIP64_LIMIT
        with zf.open(info, "w", force_zip64=big) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                meter.advance(len(chunk))
    return {"size": size, "sha256": digest.hexdigest()}


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    stamp = time.localtime(mtime)[:6]
    return stamp if stamp[0] >= 1980 else (1980, 1, 1, 0, 0, 0)


def create_backup(home: Path, target: Path, *, overwrite: bool = False,
                  progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> BackupResult:
    """Back up the workspace at `home` into the zip `target`. `progress(done, total)` counts
    bytes; `cancel()` returning True stops it (BackupCancelled) and leaves no file behind."""
    home, target = Path(home), Path(target).absolute()
    if not (home / DB_NAME).is_file():
        raise BackupError(tr("backup.no_store", path=home))
    if target.exists() and not overwrite:
        raise BackupError(tr("backup.target_exists", path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    blobs = BlobStore(home / BLOBS_DIR)
    shas = list(blobs.iter_shas())
    files = list(other_files(home, skip={target}))
    total = (home / DB_NAME).stat().st_size + sum(blobs.path_for(s).stat().st_size for s in shas)
    total += sum(p.stat().st_size for _, p in files)
    check_space(target.parent, total)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with (tempfile.TemporaryDirectory(dir=target.parent, prefix=".survey-backup-") as work,
              zipfile.ZipFile(temp, "w", allowZip64=True) as zf):
            manifest = _write_members(zf, home, Path(work), shas, files,
                                      Meter(total, progress, cancel))
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(temp, target)
        fsync_dir(target.parent)
    except OSError as err:
        raise io_error(err, target) from err
    finally:
        temp.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, manifest, backup_warnings(manifest))


def _write_members(zf: zipfile.ZipFile, home: Path, work: Path, shas: list[str],
                   files: list[tuple[str, Path]], meter: Meter) -> dict:
    snapshot = work / DB_NAME
    facts = snapshot_database(home / DB_NAME, snapshot)
    members = {DB_NAME: {"kind": "database",
                         **add_member(zf, snapshot, DB_NAME, deflate=True, meter=meter)}}
    blobs, corrupt = BlobStore(home / BLOBS_DIR), []
    for sha in shas:
        name = f"{BLOBS_DIR}/{sha[:2]}/{sha[2:4]}/{sha}"
        entry = add_member(zf, blobs.path_for(sha), name, deflate=False, meter=meter)
        if entry["sha256"] != sha:  # bit rot in the source: kept, but flagged, never restored
            corrupt.append(sha)
        members[name] = {"kind": "blob", **entry}
    for rel, path in files:
        try:
            entry = add_member(zf, path, FILES_PREFIX + rel, deflate=True, meter=meter)
        except FileNotFoundError:  # renamed away by the app meanwhile (a PDF being replaced)
            continue
        members[FILES_PREFIX + rel] = {"kind": "file", **entry}
    manifest = _manifest(facts, shas, corrupt, members)
    zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def _manifest(facts: dict, shas: list[str], corrupt: list[str], members: dict) -> dict:
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
        "created_at": now_iso(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "migrations": facts["migrations"],
        "counts": {**facts["counts"], "blobs": len(shas)}, "integrity": facts["integrity"],
        "audit": facts["audit"],
        "missing_blobs": sorted(set(facts["photo_shas"]) - set(shas)),
        "corrupt_blobs": corrupt, "members": members,
    }


def backup_warnings(manifest: dict) -> list[str]:
    """What the manifest says was already wrong with the store when it was backed up."""
    out = []
    if manifest["integrity"] != "ok":
        out.append(tr("backup.warn_integrity", detail=manifest["integrity"][:200]))
    audit = manifest["audit"]
    if not audit["ok"]:
        out.append(tr("backup.warn_audit", seq=audit["first_bad_seq"], reason=audit["reason"]))
    if manifest["missing_blobs"]:
        out.append(tr("backup.warn_missing_blobs", count=len(manifest["missing_blobs"]),
                      sha=manifest["missing_blobs"][0]))
    if manifest["corrupt_blobs"]:
        out.append(tr("backup.warn_corrupt_blobs", count=len(manifest["corrupt_blobs"]),
                      sha=manifest["corrupt_blobs"][0]))
    return out


def read_manifest(zf: zipfile.ZipFile, archive: Path) -> dict:
    """The archive's manifest, checked for format and version; BackupError otherwise."""
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise BackupError(tr("backup.not_a_backup", path=archive)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or not isinstance(manifest.get("members"), dict):
        raise BackupError(tr("backup.not_a_backup", path=archive))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(tr("backup.newer_format", path=archive, version=version,
                             app=manifest.get("app_version", "?")))
    return manifest
