"""A full disk during a photo import, a draft save or a backup: a clear Japanese message, and
nothing half-written. Run for real on a 2 MB tmpfs (root on Linux), and without mounting by
making the OS calls fail: os.write raising ENOSPC, SQLite's own page limit."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from survey_app.i18n import _current as language_stack
from survey_app.i18n import set_language, tr
from survey_app.photos import BlobWriteError, import_photo
from survey_app.services import fieldwork as fw
from survey_app.services.backup import BackupError, create_backup
from survey_app.services.errors import error_kind, user_message
from survey_app.services.fieldwork_photos import import_survey_photos
from survey_app.services.workspace import Workspace
from tests.release.release_data import make_surveys, noise_jpeg

DISK_FULL_JA = "ディスクの空き容量が不足"


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 2 MB file system: tmpfs, mounted for the test (needs root on Linux)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command on this system")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a 2 MB tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Take all but about `leave` bytes of the disk's free space with one file."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    filler = disk / "filler.bin"
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def stray_temp_files(ws: Workspace) -> list[Path]:
    return [p for p in ws.blobs.root.glob(".incoming-*")] if ws.blobs.root.exists() else []


def test_photo_import_on_a_full_disk_keeps_what_was_done(tiny_disk, tmp_path):
    survey_id = make_surveys(tiny_disk / "home", 1)[0]
    ws = Workspace(tiny_disk / "home", actor="調査員")
    try:
        first = import_survey_photos(ws, survey_id, [noise_jpeg(tmp_path / "a.jpg")])
        assert len(first.added) == 1
        filler = fill(tiny_disk, leave=64 * 1024)
        big = noise_jpeg(tmp_path / "big.jpg", (400, 300))  # ~300 KB: cannot fit
        report = import_survey_photos(ws, survey_id, [big])
        assert [f.code for f in report.failures] == ["disk_full"]
        assert DISK_FULL_JA in report.failures[0].message and "big.jpg" in report.failures[0].message
        assert report.added == [] and stray_temp_files(ws) == []
        assert list(ws.blobs.iter_shas()) == first.added  # no partial original
        assert [p["sha256"] for p in ws.store.photos.for_survey(survey_id)] == first.added
        assert ws.store.integrity_ok() and ws.blobs.verify(first.added[0])
        filler.unlink()
        again = import_survey_photos(ws, survey_id, [big])  # space again: it just works
        assert len(again.added) == 1 and ws.blobs.verify(again.added[0])
    finally:
        ws.close()


def test_draft_save_on_a_full_disk_keeps_the_last_draft(tiny_disk):
    survey_id = make_surveys(tiny_disk / "home", 1)[0]
    ws = Workspace(tiny_disk / "home", actor="調査員")
    try:
        fw.save_draft(ws, survey_id, {"remarks": "最初の下書き"})
        filler = fill(tiny_disk, leave=16 * 1024)
        big = {"remarks": "長い所見" * 60_000}  # ~700 KB of text
        with pytest.raises(sqlite3.OperationalError) as caught:
            fw.save_draft(ws, survey_id, big)
        assert error_kind(caught.value) == "disk_full"
        assert user_message(caught.value) == tr("errors.disk_full")
        assert DISK_FULL_JA in user_message(caught.value)
        assert ws.store.surveys.draft(survey_id)["observations"] == {"remarks": "最初の下書き"}
        assert ws.store.integrity_ok() and ws.store.audit.verify().ok
        filler.unlink()
        fw.save_draft(ws, survey_id, big)
        assert ws.store.surveys.draft(survey_id)["observations"] == big
    finally:
        ws.close()


def test_backup_to_a_full_disk_says_so_and_leaves_no_file(tiny_disk, tmp_path, monkeypatch):
    home = tmp_path / "home"
    survey_id = make_surveys(home, 1)[0]
    ws = Workspace(home, actor="調査員")
    import_survey_photos(ws, survey_id, [noise_jpeg(tmp_path / f"{i}.jpg", (640, 480))
                                         for i in range(10)])
    ws.close()
    assert sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) > 2_500_000
    with pytest.raises(BackupError, match="空き容量が足りません"):
        create_backup(home, tiny_disk / "b.zip")  # checked before writing anything
    # If the free space shrinks after that check, the write itself fails cleanly too.
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(1, 0, 1 << 40))
    with pytest.raises(BackupError, match=DISK_FULL_JA):
        create_backup(home, tiny_disk / "b.zip")
    assert list(tiny_disk.iterdir()) == []


def test_enospc_from_the_os_while_storing_a_photo(app_home, tmp_path, monkeypatch):
    """Without a mount: os.write itself fails half-way through the original."""
    survey_id = make_surveys(app_home, 1)[0]
    ws = Workspace(app_home, actor="調査員")
    photo = noise_jpeg(tmp_path / "IMG_0001.JPG", (640, 480))
    real_write, written = os.write, []

    def write_until_full(fd: int, data) -> int:
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(len(data))
        return real_write(fd, bytes(data)[: len(data) // 2])  # a short write, then no space

    try:
        monkeypatch.setattr(os, "write", write_until_full)
        with pytest.raises(BlobWriteError) as caught:
            import_photo(photo, ws.blobs)
        assert caught.value.code == "disk_full" and DISK_FULL_JA in user_message(caught.value)
        written.clear()
        report = import_survey_photos(ws, survey_id, [photo])
        assert [f.code for f in report.failures] == ["disk_full"]
        monkeypatch.undo()
        assert list(ws.blobs.iter_shas()) == [] and stray_temp_files(ws) == []
        assert ws.store.photos.for_survey(survey_id) == []
        assert len(import_survey_photos(ws, survey_id, [photo]).added) == 1
    finally:
        ws.close()


def test_sqlite_full_without_a_mount(app_home):
    """SQLite's page limit gives the same SQLITE_FULL a full disk gives."""
    survey_id = make_surveys(app_home, 1)[0]
    ws = Workspace(app_home, actor="調査員")
    try:
        fw.save_draft(ws, survey_id, {"remarks": "前の下書き"})
        pages = ws.store.db.execute("PRAGMA page_count").fetchone()[0]
        ws.store.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.OperationalError) as caught:
            fw.save_draft(ws, survey_id, {"remarks": "x" * 200_000})
        assert caught.value.sqlite_errorcode == 13  # SQLITE_FULL
        assert user_message(caught.value) == tr("errors.disk_full")
        assert ws.store.surveys.draft(survey_id)["observations"] == {"remarks": "前の下書き"}
        assert ws.store.integrity_ok()
    finally:
        ws.close()


def _locked_error(path: Path) -> sqlite3.Error:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute("INSERT INTO t VALUES (1)")
    except sqlite3.Error as err:
        return err
    finally:
        other.close()
        holder.close()
    raise AssertionError("the second writer was not refused")


def _raised(action) -> BaseException:
    try:
        action()
    except Exception as err:  # noqa: BLE001 - the point is to capture whatever is raised
        return err
    raise AssertionError("nothing was raised")


def test_user_message_names_each_kind_of_failure(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all " * 200)
    (tmp_path / "ro.db").touch()
    readonly = sqlite3.connect(f"file:{tmp_path / 'ro.db'}?mode=ro", uri=True)
    cases = {
        "disk_full": OSError(errno.ENOSPC, "No space left on device"),
        "permission": PermissionError(errno.EACCES, "Permission denied"),
        "corrupt": _raised(lambda: sqlite3.connect(garbage).execute("SELECT * FROM x")),
        "busy": _locked_error(tmp_path / "locked.db"),
        "permission ": _raised(lambda: readonly.execute("CREATE TABLE t (x)")),
    }
    readonly.close()
    for kind, err in cases.items():
        assert error_kind(err) == kind.strip(), (kind, err)
        assert user_message(err) == tr(f"errors.{kind.strip()}")
    wrapped = RuntimeError("save failed")
    wrapped.__cause__ = cases["disk_full"]
    assert error_kind(wrapped) == "disk_full"  # found through the cause
    odd = user_message(ValueError("何か"))
    assert "ValueError" in odd and "何か" in odd
    set_language("en")
    try:
        assert user_message(cases["disk_full"]).startswith("Could not save: the disk is full")
    finally:
        language_stack.pop()
