"""Backing up a laptop's store into one file and restoring it: every check runs before anything
is replaced, old data is moved aside and never deleted, and a bad archive changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from survey_app.services.backup import BackupCancelled, BackupError, create_backup
from survey_app.services.backup_restore import restore_backup, verify_backup
from survey_app.services.workspace import Workspace
from tests.release.release_data import build_demo_home, copy_home, rezip, tree_digest


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> Path:
    return build_demo_home(tmp_path_factory.mktemp("demo") / "home")


@pytest.fixture
def home(demo_source, tmp_path) -> Path:
    return copy_home(demo_source, tmp_path / "home")


@pytest.fixture(scope="module")
def archive(demo_source, tmp_path_factory) -> Path:
    """One backup of the demo home, shared by the tests that only read or copy it."""
    return create_backup(demo_source, tmp_path_factory.mktemp("bk") / "backup.zip").path


def facts(home: Path) -> dict:
    ws = Workspace(home)
    try:
        db = ws.store.db
        return {
            "counts": {t: db[t].count for t in ("buildings", "surveys", "survey_versions",
                                                "drafts", "photos", "applications")},
            "audit_head": ws.store.audit.last_hash(),
            "blobs": sorted(ws.blobs.iter_shas()),
            "blobs_ok": all(ws.blobs.verify(s) for s in ws.blobs.iter_shas()),
            "integrity": ws.store.integrity_ok(),
            "audit_ok": ws.store.audit.verify().ok,
        }
    finally:
        ws.close()


def test_round_trip_restores_everything_into_an_empty_folder(home, tmp_path):
    calls: list[tuple[int, int]] = []
    result = create_backup(home, tmp_path / "b.zip", progress=lambda d, t: calls.append((d, t)))
    assert result.warnings == []
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)  # never goes backwards
    assert calls[-1][0] == calls[-1][1] > 0
    with zipfile.ZipFile(result.path) as zf:
        members = result.manifest["members"]
        assert set(zf.namelist()) == {*members, "manifest.json"}
        for name, entry in members.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == entry["sha256"]
            # Photos are stored as they are; only the database and small files are deflated.
            expected = zipfile.ZIP_STORED if entry["kind"] == "blob" else zipfile.ZIP_DEFLATED
            assert zf.getinfo(name).compress_type == expected
        assert "files/office/certificate_settings.json" in members
        assert not any(n.startswith("files/map/") for n in members)  # a rebuilt cache
    before = facts(home)
    assert len(before["blobs"]) == 8
    restored = restore_backup(result.path, tmp_path / "restored")
    assert restored.moved_aside is None
    assert facts(tmp_path / "restored") == before
    settings = tmp_path / "restored" / "office" / "certificate_settings.json"
    assert settings.read_text(encoding="utf-8") == (
        home / "office" / "certificate_settings.json").read_text(encoding="utf-8")


def test_backup_is_consistent_while_the_app_keeps_saving(home, tmp_path):
    """The online backup API copies a snapshot while another connection commits drafts."""
    stop = threading.Event()
    saved: list[int] = []

    def writer() -> None:
        ws = Workspace(home, actor="writer")
        survey_id = ws.store.db.execute("SELECT id FROM surveys LIMIT 1").fetchone()[0]
        n = 0
        while not stop.is_set():
            n += 1
            with ws.store.atomic():
                ws.store.surveys.save_draft(survey_id, {"remarks": f"autosave {n}"})
                ws.store.audit.append(actor="writer", action="draft", entity="survey",
                                      entity_id=survey_id, payload={"n": n})
            saved.append(n)
        ws.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(saved) < 5 and thread.is_alive():
            stop.wait(0.01)
        assert thread.is_alive(), "the writer died before the backup started"
        before = len(saved)

        def let_the_writer_run(_done: int, _total: int) -> None:
            # Inside the backup: make sure saves really interleave with it.
            deadline = time.monotonic() + 5
            while len(saved) < before + 3 and time.monotonic() < deadline:
                time.sleep(0.005)

        result = create_backup(home, tmp_path / "b.zip", progress=let_the_writer_run)
        during = len(saved) - before
    finally:
        stop.set()
        thread.join()
    assert during > 0, "no save happened while the backup ran"
    assert result.manifest["integrity"] == "ok" and result.manifest["audit"]["ok"]
    restore_backup(result.path, tmp_path / "r")
    ws = Workspace(tmp_path / "r")
    try:
        assert ws.store.audit.verify().ok
        # The draft and its audit entry were committed together: a torn copy would differ.
        entries = ws.store.db.execute(
            "SELECT count(*) FROM audit_log WHERE actor = 'writer'").fetchone()[0]
        draft = ws.store.db.execute("SELECT observations FROM drafts WHERE observations"
                                    " LIKE '%autosave%'").fetchone()[0]
        assert entries >= 5 and f'"autosave {entries}"' in draft
    finally:
        ws.close()


def test_existing_data_is_refused_then_moved_aside_on_replace(home, archive, tmp_path):
    target = copy_home(home, tmp_path / "laptop")
    (target / "note.txt").write_text("まだ同期していないメモ", encoding="utf-8")
    before = tree_digest(target)
    with pytest.raises(BackupError, match="既にデータがあります"):
        restore_backup(archive, target)
    assert tree_digest(target) == before
    result = restore_backup(archive, target, replace=True)
    assert result.moved_aside is not None and result.moved_aside.parent == tmp_path
    assert tree_digest(result.moved_aside) == before  # kept whole, not deleted
    assert not (target / "note.txt").exists()
    assert facts(target)["integrity"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_damaged_photo_in_the_archive_changes_nothing(home, archive, tmp_path):
    with zipfile.ZipFile(archive) as zf:
        blob = next(n for n in zf.namelist() if n.startswith("blobs/"))
        data = bytearray(zf.read(blob))
    data[len(data) // 2] ^= 0xFF
    bad = rezip(archive, tmp_path / "bad.zip", replace={blob: bytes(data)}, fix_hashes=False)
    target = copy_home(home, tmp_path / "laptop")
    before = tree_digest(target)
    with pytest.raises(BackupError, match="壊れています") as err:
        restore_backup(bad, target, replace=True)
    assert blob in str(err.value)
    assert tree_digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "home", "laptop"]


def test_a_photo_renamed_to_another_hash_is_refused(archive, tmp_path):
    """A manifest made consistent with swapped bytes still fails: a photo's name is its hash."""
    with zipfile.ZipFile(archive) as zf:
        first, second = [n for n in zf.namelist() if n.startswith("blobs/")][:2]
        other = zf.read(second)
    bad = rezip(archive, tmp_path / "bad.zip", replace={first: other})
    with pytest.raises(BackupError, match="ハッシュが一致しません"):
        verify_backup(bad)


def _tampered_db(archive: Path, tmp_path: Path, sql: list[str]) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        path = tmp_path / "edit.db"
        path.write_bytes(zf.read("survey.db"))
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()
    return path.read_bytes()


def test_a_broken_audit_chain_is_refused(archive, tmp_path):
    data = _tampered_db(archive, tmp_path, [
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = '改ざん' WHERE seq = 3",
    ])
    bad = rezip(archive, tmp_path / "bad.zip", replace={"survey.db": data})
    with pytest.raises(BackupError, match="監査記録の連鎖が途切れている.*番号 3"):
        verify_backup(bad)


def test_a_database_failing_integrity_check_is_refused(archive, tmp_path):
    data = _tampered_db(archive, tmp_path, [
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX idx_buildings_address_key ON"
        " buildings(area)' WHERE name = 'idx_buildings_address_key'",
    ])
    bad = rezip(archive, tmp_path / "bad.zip", replace={"survey.db": data})
    with pytest.raises(BackupError, match="データベースが壊れている"):
        verify_backup(bad)


@pytest.mark.parametrize("name", ["files/../escaped.txt", "files//etc/x", "blobs/aa/bb/zz",
                                  "files/survey.db", "other/x"])
def test_member_names_that_could_escape_are_refused(archive, tmp_path, name):
    def add_member(manifest: dict) -> None:
        manifest["members"][name] = {"kind": "file", "size": 1, "sha256": "0" * 64}

    bad = rezip(archive, tmp_path / "bad.zip", replace={name: b"x"}, manifest_edit=add_member)
    with pytest.raises(BackupError, match="不正な名前"):
        restore_backup(bad, tmp_path / "r")
    assert not (tmp_path / "r").exists() and not (tmp_path / "escaped.txt").exists()


def test_a_newer_format_and_a_non_backup_are_refused(archive, tmp_path):
    newer = rezip(archive, tmp_path / "newer.zip",
                  manifest_edit=lambda m: m.update(format_version=99, app_version="9.0"))
    with pytest.raises(BackupError, match="新しい版のアプリ"):
        verify_backup(newer)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BackupError, match="バックアップファイルではない"):
        verify_backup(junk)


def test_cancel_leaves_no_file_and_changes_nothing(home, archive, tmp_path):
    seen: list[int] = []
    with pytest.raises(BackupCancelled):
        create_backup(home, tmp_path / "out" / "b.zip",
                      progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) > 3)
    assert list((tmp_path / "out").iterdir()) == []
    target = copy_home(home, tmp_path / "laptop")
    before = tree_digest(target)
    ticks: list[int] = []
    with pytest.raises(BackupCancelled):
        restore_backup(archive, target, replace=True, progress=lambda d, t: ticks.append(d),
                       cancel=lambda: len(ticks) > 3)
    assert tree_digest(target) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_damaged_and_missing_originals_are_reported_not_hidden(home, tmp_path):
    ws = Workspace(home)
    shas = sorted(ws.store.photos.all_shas())
    rotten, lost = ws.blobs.path_for(shas[0]), ws.blobs.path_for(shas[1])
    ws.close()
    rotten.chmod(0o644)
    data = bytearray(rotten.read_bytes())
    data[100] ^= 0x01
    rotten.write_bytes(bytes(data))
    lost.unlink()
    result = create_backup(home, tmp_path / "b.zip")
    assert result.manifest["corrupt_blobs"] == [shas[0]]
    assert result.manifest["missing_blobs"] == [shas[1]]
    assert any("壊れていました" in w for w in result.warnings)
    assert any("見つかりませんでした" in w for w in result.warnings)
    restored = restore_backup(result.path, tmp_path / "r")
    assert restored.warnings == result.warnings
    ws = Workspace(tmp_path / "r")
    try:
        on_disk = list(ws.blobs.iter_shas())
        assert shas[0] not in on_disk and shas[1] not in on_disk and len(on_disk) == 6
        assert all(ws.blobs.verify(s) for s in on_disk)
    finally:
        ws.close()


def test_no_store_and_existing_target_are_clear_errors(home, tmp_path):
    with pytest.raises(BackupError, match="survey.db が見つかりません"):
        create_backup(tmp_path / "empty", tmp_path / "b.zip")
    (tmp_path / "b.zip").write_bytes(b"old")
    with pytest.raises(BackupError, match="--overwrite"):
        create_backup(home, tmp_path / "b.zip")
    assert (tmp_path / "b.zip").read_bytes() == b"old"
    assert create_backup(home, tmp_path / "b.zip", overwrite=True).size > 3


def test_command_line_backup_restore_and_refusal(home, tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "survey_app", *args], capture_output=True,
                              text=True, timeout=120)

    made = cli("backup", str(tmp_path / "b.zip"), "--home", str(home))
    assert made.returncode == 0 and "バックアップを作成しました" in made.stdout
    assert cli("restore", str(tmp_path / "b.zip"), "--check-only").returncode == 0
    into = tmp_path / "r"
    assert cli("restore", str(tmp_path / "b.zip"), "--into", str(into)).returncode == 0
    again = cli("restore", str(tmp_path / "b.zip"), "--into", str(into))
    assert again.returncode == 2 and "--replace" in again.stderr
    assert "Traceback" not in again.stderr
    replaced = cli("restore", str(tmp_path / "b.zip"), "--into", str(into), "--replace")
    assert replaced.returncode == 0 and "before-restore" in replaced.stdout
