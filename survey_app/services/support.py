"""The support bundle: what an administrator needs to diagnose a laptop, safe for a user to send.

One zip holding support.json (versions, the schema migrations applied, table counts, the
integrity check, the audit chain status, the photo folder's state, the sync outbox) and the
logs from <home>/logs with personal data masked. It holds no names, addresses, contacts or
photos: counts and ids only, and every text value taken from the store or a log goes through
the Redactor built from the store's own personal data.

It must work on a damaged store too (that is when it is needed): every fact is read on its own
and a failure is reported in place of the value.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import secrets
import sqlite3
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from survey_app import __version__
from survey_app.i18n import tr
from survey_app.photos.blobstore import BlobStore
from survey_app.services import store_facts
from survey_app.services.backup import BLOBS_DIR, DB_NAME, BackupError, fsync_dir, io_error
from survey_app.services.support_redact import Redactor
from survey_app.store.ids import now_iso

LOGS_DIR = "logs"
MAX_LOG_BYTES = 2_000_000  # the end of each log: the part that shows the problem
MAX_OUTBOX_ROWS = 1000
PACKAGES = ("PySide6", "PySide6_Essentials", "PySide6_Addons", "PySide6_WebEngine",
            "sqlite-utils", "pillow", "pillow-heif", "ExifRead", "reportlab", "folium",
            "qrcode", "fastapi", "httpx", "platformdirs")


@dataclass
class SupportResult:
    path: Path
    report: dict
    logs: list[str]


def _dist_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions() -> dict:
    """The app, Python, SQLite and library versions (Qt's via package metadata: no Qt import)."""
    return {
        "app": __version__, "python": platform.python_version(),
        "platform": platform.platform(), "machine": platform.machine(),
        "sqlite": sqlite3.sqlite_version, "frozen": bool(getattr(sys, "frozen", False)),
        "packages": {name: _dist_version(name) for name in PACKAGES},
    }


def _fact(read: Callable[[], object]) -> object:
    try:
        return read()
    except sqlite3.Error as err:
        return {"error": f"{type(err).__name__}: {err}"}


def store_report(conn: sqlite3.Connection, redact: Redactor) -> dict:
    return {
        "migrations": _fact(lambda: store_facts.applied_migrations(conn)),
        "counts": _fact(lambda: store_facts.table_counts(conn)),
        "integrity": _fact(lambda: redact(store_facts.integrity(conn))),
        "audit": _fact(lambda: store_facts.audit_status(conn).to_dict()),
        "outbox": _fact(lambda: _outbox(conn, redact)),
        "sync": _fact(lambda: _sync_state(conn)),
    }


def _outbox(conn: sqlite3.Connection, redact: Redactor) -> dict:
    """The sync outbox (ids, kinds, attempts, errors), or that this store has none."""
    if not store_facts.table_exists(conn, "sync_outbox"):
        return {"present": False}
    cursor = conn.execute(f"SELECT * FROM sync_outbox ORDER BY seq LIMIT {MAX_OUTBOX_ROWS}")
    columns = [c[0] for c in cursor.description]
    rows = [{c: redact(v) if isinstance(v, str) else v for c, v in zip(columns, r, strict=True)}
            for r in cursor]
    count = conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    return {"present": True, "count": count, "rows": rows, "truncated": count > len(rows)}


def _sync_state(conn: sqlite3.Connection) -> dict:
    """Counts by status and code only; sync_meta values (server address, tokens) are left out."""
    out: dict = {}
    if store_facts.table_exists(conn, "sync_meta"):
        out["meta_keys"] = [r[0] for r in conn.execute("SELECT key FROM sync_meta ORDER BY key")]
    for key, table, column in (("conflicts", "sync_conflicts", "status"),
                               ("failures", "sync_failures", "code")):
        if store_facts.table_exists(conn, table):
            sql = f"SELECT {column}, count(*) FROM {table} GROUP BY {column}"
            out[key] = dict(conn.execute(sql).fetchall())
    return out


def blob_report(home: Path, *, verify: bool) -> dict:
    """How many originals, their total size, leftovers of interrupted writes, hash failures."""
    root = home / BLOBS_DIR
    blobs = BlobStore(root)
    shas = list(blobs.iter_shas())
    report: dict = {"count": len(shas),
                    "bytes": sum(blobs.path_for(s).stat().st_size for s in shas),
                    "temp_files": sum(1 for p in root.glob(".incoming-*")) if root.is_dir() else 0}
    if verify:
        report["bad_hash"] = [s for s in shas if not blobs.verify(s)]
    return report


def support_report(home: Path, redact: Redactor, conn: sqlite3.Connection | None, *,
                   verify_blobs: bool = False) -> dict:
    db_path = home / DB_NAME
    store = {"exists": conn is not None}
    if conn is not None:
        store["db_bytes"] = db_path.stat().st_size
        wal = db_path.with_name(DB_NAME + "-wal")
        store["wal_bytes"] = wal.stat().st_size if wal.exists() else 0
        store.update(store_report(conn, redact))
    return {"kind": "survey-app-support", "created_at": now_iso(), "versions": versions(),
            "store": store, "blobs": blob_report(home, verify=verify_blobs)}


def _log_files(home: Path) -> list[Path]:
    folder = home / LOGS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _log_tail(path: Path) -> str:
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(0, size - MAX_LOG_BYTES))
        return fh.read().decode("utf-8", errors="replace")


def create_support_bundle(home: Path, target: Path, *, overwrite: bool = False,
                          verify_blobs: bool = False) -> SupportResult:
    """Write the support bundle for the workspace at `home` to the zip `target`."""
    home, target = Path(home), Path(target).absolute()
    if target.exists() and not overwrite:
        raise BackupError(tr("backup.target_exists", path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    db_path = home / DB_NAME
    conn = sqlite3.connect(db_path, timeout=30) if db_path.is_file() else None
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        redact, with_logs = _redactor(conn)
        report = support_report(home, redact, conn, verify_blobs=verify_blobs)
        if not with_logs:
            report["logs_omitted"] = "the store's personal data could not be read to mask logs"
        logs = _write_bundle(temp, home if with_logs else None, report, redact)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except OSError as err:
        raise io_error(err, target) from err
    finally:
        temp.unlink(missing_ok=True)
        if conn is not None:
            conn.close()
    return SupportResult(target, report, logs)


def _redactor(conn: sqlite3.Connection | None) -> tuple[Redactor, bool]:
    """The masker, and whether logs may go in: not when the names to mask cannot be read."""
    if conn is None:
        return Redactor(()), True
    try:
        return Redactor.for_store(conn), True
    except sqlite3.Error:
        return Redactor(()), False


def _write_bundle(temp: Path, home: Path | None, report: dict, redact: Redactor) -> list[str]:
    names = []
    with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in _log_files(home) if home is not None else []:
            name = f"{LOGS_DIR}/{redact(path.relative_to(home / LOGS_DIR).as_posix())}"
            zf.writestr(name, redact(_log_tail(path)))
            names.append(name)
        report = {**report, "logs": names}
        zf.writestr("support.json", json.dumps(report, ensure_ascii=False, indent=1))
    with open(temp, "rb+") as fh:
        os.fsync(fh.fileno())
    return names
