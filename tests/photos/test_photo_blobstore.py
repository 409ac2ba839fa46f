"""The content-addressed store of originals: layout, dedup, immutability, failure cleanup."""

from __future__ import annotations

import errno
import filecmp
import hashlib
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.photos import BlobNotFound, BlobStore, BlobWriteError, InvalidBlobId
from survey_app.photos.blobstore import CHUNK


def _files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_put_file_stores_the_bytes_unchanged_under_aa_bb_sha(tmp_path, noisy_jpeg):
    blobs = BlobStore(tmp_path / "blobs")
    ref = blobs.put_file(noisy_jpeg)
    expected = hashlib.sha256(noisy_jpeg.read_bytes()).hexdigest()
    assert ref.sha256 == expected
    assert ref.size == noisy_jpeg.stat().st_size
    assert ref.created is True
    stored = blobs.path_for(expected)
    assert stored == tmp_path / "blobs" / expected[:2] / expected[2:4] / expected
    assert filecmp.cmp(noisy_jpeg, stored, shallow=False)
    assert _files_under(tmp_path / "blobs") == [f"{expected[:2]}/{expected[2:4]}/{expected}"]


def test_a_stored_blob_is_read_only(tmp_path, noisy_jpeg):
    blobs = BlobStore(tmp_path)
    ref = blobs.put_file(noisy_jpeg)
    mode = blobs.path_for(ref.sha256).stat().st_mode
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0


def test_the_same_bytes_twice_are_one_blob(tmp_path, noisy_jpeg):
    blobs = BlobStore(tmp_path / "blobs")
    copy = tmp_path / "copy_with_other_name.jpg"
    copy.write_bytes(noisy_jpeg.read_bytes())
    first = blobs.put_file(noisy_jpeg)
    second = blobs.put_file(copy)
    third = blobs.put_bytes(noisy_jpeg.read_bytes())
    assert (second.sha256, third.sha256) == (first.sha256, first.sha256)
    assert (first.created, second.created, third.created) == (True, False, False)
    assert list(blobs.iter_shas()) == [first.sha256]
    assert len(_files_under(tmp_path / "blobs")) == 1


def test_a_file_larger_than_one_chunk_hashes_and_copies_whole(tmp_path):
    data = os.urandom(CHUNK * 2 + 12345)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    blobs = BlobStore(tmp_path / "blobs")
    ref = blobs.put_file(source)
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert ref.size == len(data)
    with blobs.open(ref.sha256) as fh:
        assert fh.read() == data


def test_has_verify_and_iter_shas(tmp_path):
    blobs = BlobStore(tmp_path)
    refs = [blobs.put_bytes(f"photo {i}".encode()) for i in range(3)]
    assert sorted(r.sha256 for r in refs) == list(blobs.iter_shas())
    assert all(blobs.has(r.sha256) and blobs.verify(r.sha256) for r in refs)
    assert not blobs.has("0" * 64)


def test_verify_detects_a_changed_blob(tmp_path):
    blobs = BlobStore(tmp_path)
    ref = blobs.put_bytes(b"original evidence")
    path = blobs.path_for(ref.sha256)
    path.chmod(0o600)
    path.write_bytes(b"tampered evidence")
    assert blobs.verify(ref.sha256) is False


def test_iter_shas_skips_stray_files(tmp_path):
    blobs = BlobStore(tmp_path)
    ref = blobs.put_bytes(b"x")
    (tmp_path / ".incoming-left-by-a-crash").write_bytes(b"half")
    (tmp_path / ref.sha256[:2] / ref.sha256[2:4] / "notes.txt").write_text("x")
    (tmp_path / "ab" / "cd").mkdir(parents=True)
    (tmp_path / "ab" / "cd" / ("ef" * 32)).write_bytes(b"in the wrong folder")
    assert list(blobs.iter_shas()) == [ref.sha256]
    assert list(BlobStore(tmp_path / "never-created").iter_shas()) == []


@pytest.mark.parametrize(
    "sha",
    ["../../etc/passwd", "A" * 64, "0" * 63, "0" * 65, "g" * 64, "", "0" * 62 + "/.", None],
)
def test_ids_that_are_not_64_lowercase_hex_are_refused(tmp_path, sha):
    blobs = BlobStore(tmp_path)
    for call in (blobs.path_for, blobs.has, blobs.open, blobs.verify):
        with pytest.raises(InvalidBlobId) as err:
            call(sha)
        assert "ID" in str(err.value)


def test_opening_a_missing_blob_says_so(tmp_path):
    with pytest.raises(BlobNotFound, match="見つかりません"):
        BlobStore(tmp_path).open("ab" * 32)


def _fail_after_first_write(monkeypatch, error_number=errno.ENOSPC):
    real_write = os.write
    calls = []

    def write(fd, data):
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(error_number, os.strerror(error_number))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    return calls


def test_disk_full_mid_write_leaves_nothing_behind(tmp_path, monkeypatch):
    source = tmp_path / "big.jpg"
    source.write_bytes(os.urandom(CHUNK * 3))
    root = tmp_path / "blobs"
    calls = _fail_after_first_write(monkeypatch)
    with pytest.raises(BlobWriteError) as err:
        BlobStore(root).put_file(source)
    assert len(calls) == 2, "the first chunk reached the disk before the failure"
    assert err.value.code == "disk_full"
    assert "ディスクの空き容量" in str(err.value) and str(source) in str(err.value)
    assert isinstance(err.value.__cause__, OSError)
    assert _files_under(root) == []
    monkeypatch.undo()
    assert BlobStore(root).put_file(source).created is True


def test_a_failing_fsync_leaves_nothing_behind(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(BlobWriteError) as err:
        BlobStore(tmp_path).put_bytes(b"some photo")
    assert err.value.code == "write_failed"
    assert "Input/output error" in str(err.value)
    assert _files_under(tmp_path) == []


def test_a_missing_source_file_is_a_clear_error(tmp_path):
    with pytest.raises(BlobWriteError) as err:
        BlobStore(tmp_path / "blobs").put_file(tmp_path / "gone.jpg")
    assert err.value.code == "unreadable"
    assert "gone.jpg" in str(err.value)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), repeat=st.booleans())
def test_put_bytes_round_trips_any_content(tmp_path_factory, data, repeat):
    blobs = BlobStore(tmp_path_factory.mktemp("blobs"))
    ref = blobs.put_bytes(data)
    if repeat:
        assert blobs.put_bytes(data).created is False
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    with blobs.open(ref.sha256) as fh:
        assert fh.read() == data
    assert blobs.verify(ref.sha256)


@given(text=st.text(max_size=80))
def test_path_for_never_leaves_the_root(text):
    blobs = BlobStore(os.path.abspath("store-root"))
    try:
        path = blobs.path_for(text)
    except InvalidBlobId:
        return
    assert path.parent.parent.parent == blobs.root and path.name == text


def test_sweep_removes_only_old_leftover_temp_files(tmp_path):
    import os
    import time

    from survey_app.photos import BlobStore

    store = BlobStore(tmp_path)
    ref = store.put_bytes(b"kept")
    old = tmp_path / ".incoming-old"
    fresh = tmp_path / ".incoming-fresh"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    stale = time.time() - 7200
    os.utime(old, (stale, stale))
    assert store.sweep_incoming() == 1
    assert not old.exists() and fresh.exists() and store.has(ref.sha256)
