"""Checking and restoring a backup made by `survey_app.services.backup`.

Everything is unpacked into a hidden staging folder beside the destination and checked there
first: each member's size and sha256 against the manifest, each photo's name against its
content, then the database's PRAGMA integrity_check and the audit chain. Only when all of that
passes is anything moved: existing data is renamed aside (never deleted) and the staging
folder renamed into its place. A failed or cancelled restore removes the staging folder and
leaves the destination exactly as it was.

Close the store first: Windows cannot rename a folder whose files are open.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from survey_app.i18n import tr
from survey_app.services import store_facts
from survey_app.services.backup import (
    BLOBS_DIR,
    CHUNK,
    DB_FILES,
    DB_NAME,
    FILES_PREFIX,
    BackupError,
    CancelFn,
    Meter,
    ProgressFn,
    backup_warnings,
    check_space,
    fsync_dir,
    io_error,
    read_manifest,
)

_BLOB_NAME = re.compile(r"blobs/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


@dataclass
class BackupCheck:
    """A backup that passed every check; `warnings` repeat what was wrong at backup time."""

    manifest: dict
    warnings: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    home: Path
    moved_aside: Path | None  # where the data that was there before now lives
    manifest: dict
    warnings: list[str] = field(default_factory=list)


def verify_backup(archive: Path, *, progress: ProgressFn | None = None,
                  cancel: CancelFn | None = None) -> BackupCheck:
    """Unpack into a temp folder and run every restore check; nothing is kept."""
    with tempfile.TemporaryDirectory(prefix="survey-backup-check-") as work:
        manifest, warnings = _unpack_checked(Path(archive), Path(work) / "home", progress, cancel)
    return BackupCheck(manifest, warnings)


def restore_backup(archive: Path, into: Path, *, replace: bool = False,
                   progress: ProgressFn | None = None,
                   cancel: CancelFn | None = None) -> RestoreResult:
    """Restore `archive` as the workspace `into`. An existing non-empty `into` is refused
    unless `replace`, and then renamed aside to `<into>.before-restore-<time>`."""
    archive, into = Path(archive), Path(into).absolute()
    if into.exists() and not into.is_dir():
        raise BackupError(tr("backup.target_not_folder", path=into))
    has_data = into.is_dir() and any(into.iterdir())
    if has_data and not replace:
        raise BackupError(tr("backup.target_not_empty", path=into))
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = into.with_name(f".{into.name}.restoring-{secrets.token_hex(4)}")
    try:
        manifest, warnings = _unpack_checked(archive, staging, progress, cancel)
        aside = _swap_in(staging, into, has_data)
    except OSError as err:
        raise io_error(err, into) from err
    finally:
        if staging.exists():
            remove_tree(staging)
    return RestoreResult(into, aside, manifest, warnings)


def _swap_in(staging: Path, into: Path, has_data: bool) -> Path | None:
    """Rename the old data aside (if any) and the staging folder into place."""
    aside = _move_aside(into) if has_data else None
    if into.is_dir():  # an empty folder: replaced by the staging folder
        into.rmdir()
    try:
        os.replace(staging, into)
    except OSError:
        if aside is not None:  # put the old data back where it was
            os.replace(aside, into)
        raise
    fsync_dir(into.parent)
    return aside


def _move_aside(into: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = into.with_name(f"{into.name}.before-restore-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = into.with_name(f"{into.name}.before-restore-{stamp}-{n}")
    os.replace(into, aside)
    return aside


def remove_tree(path: Path) -> None:
    """Delete a staging folder, read-only photo files included (Windows refuses those)."""
    def retry_writable(func, target, _exc_info) -> None:  # noqa: ANN001 - shutil's signature
        os.chmod(target, stat.S_IWUSR | stat.S_IRUSR | stat.S_IXUSR)
        func(target)

    shutil.rmtree(path, onerror=retry_writable)


def _unpack_checked(archive: Path, staging: Path, progress: ProgressFn | None,
                    cancel: CancelFn | None) -> tuple[dict, list[str]]:
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise BackupError(tr("backup.archive_missing", path=archive)) from None
    except (zipfile.BadZipFile, OSError):
        raise BackupError(tr("backup.not_a_backup", path=archive)) from None
    with zf:
        manifest = read_manifest(zf, archive)
        skipped = set(manifest.get("corrupt_blobs") or [])
        plan = [(name, entry, _relative_path(name, archive)) for name, entry
                in manifest["members"].items() if _sha_of(name) not in skipped]
        total = sum(int(entry.get("size", 0)) for _, entry, _ in plan)
        staging.mkdir(parents=True)
        check_space(staging, total)
        meter = Meter(total, progress, cancel)
        for name, entry, rel in plan:
            dest = staging / rel
            if not dest.resolve().is_relative_to(staging.resolve()):  # belt and braces
                raise BackupError(tr("backup.member_unsafe", path=archive, name=name[:200]))
            _extract(zf, archive, name, entry, dest, meter)
    _check_database(staging / DB_NAME, manifest, archive)
    return manifest, backup_warnings(manifest)


def _sha_of(name: str) -> str | None:
    match = _BLOB_NAME.fullmatch(name)
    return match.group(3) if match else None


def _relative_path(name: str, archive: Path) -> Path:
    """Where a member goes inside the workspace; names that could escape it are refused."""
    if name == DB_NAME:
        return Path(DB_NAME)
    match = _BLOB_NAME.fullmatch(name)
    if match:
        first, second, sha = match.groups()
        if sha[:2] == first and sha[2:4] == second:
            return Path(BLOBS_DIR, first, second, sha)
    elif name.startswith(FILES_PREFIX) and "\\" not in name and ":" not in name:
        # Split by hand: PurePosixPath would read "files//etc/x" as the absolute /etc/x.
        parts = name[len(FILES_PREFIX):].split("/")
        if all(p not in ("", ".", "..") for p in parts) \
                and parts[0] not in DB_FILES | {BLOBS_DIR}:
            return Path(*parts)
    raise BackupError(tr("backup.member_unsafe", path=archive, name=name[:200]))


def _extract(zf: zipfile.ZipFile, archive: Path, name: str, entry: dict, dest: Path,
             meter: Meter) -> None:
    """Copy one member out, hashing it; a size or hash that differs from the manifest fails."""
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zf.open(name) as source, open(dest, "xb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                meter.advance(len(chunk))
            out.flush()
            os.fsync(out.fileno())
    except KeyError:
        raise BackupError(tr("backup.member_missing", path=archive, name=name)) from None
    except (zipfile.BadZipFile, EOFError):  # a CRC or structure error inside the zip
        raise BackupError(tr("backup.member_damaged", path=archive, name=name)) from None
    actual = digest.hexdigest()
    if size != entry.get("size") or actual != entry.get("sha256"):
        raise BackupError(tr("backup.member_damaged", path=archive, name=name))
    sha = _sha_of(name)
    if sha is not None:
        if actual != sha:
            raise BackupError(tr("backup.member_damaged", path=archive, name=name))
        os.chmod(dest, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # as BlobStore leaves them


def _check_database(db_path: Path, manifest: dict, archive: Path) -> None:
    if not db_path.is_file():
        raise BackupError(tr("backup.member_missing", path=archive, name=DB_NAME))
    conn = sqlite3.connect(db_path)
    try:
        verdict = store_facts.integrity(conn)
        if verdict != "ok":
            raise BackupError(tr("backup.db_damaged", path=archive, detail=verdict[:200]))
        audit = store_facts.audit_status(conn)
        if not audit.ok:
            raise BackupError(tr("backup.audit_broken", path=archive, seq=audit.first_bad_seq,
                                 reason=audit.reason))
        known = set(store_facts.known_migrations())
        unknown = [m for m in store_facts.applied_migrations(conn) if m not in known]
        if unknown:
            raise BackupError(tr("backup.newer_schema", path=archive, names=", ".join(unknown),
                                 app=manifest.get("app_version", "?")))
    except sqlite3.DatabaseError as err:
        raise BackupError(tr("backup.db_damaged", path=archive, detail=str(err))) from err
    finally:
        conn.close()
