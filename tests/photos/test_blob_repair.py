"""A stored original damaged on disk (bit rot, a write cut on a card) is repaired by importing
the same photo again: the good copy replaces the damaged one instead of being thrown away as
"already stored". Real files, damaged on disk, then the real import path."""

from __future__ import annotations

import os
import stat

import pytest

from survey_app.photos import BlobStore, BlobWriteError, import_photo


def _damage(path, how: str) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)  # stored blobs are read-only
    data = bytearray(path.read_bytes())
    if how == "flipped":  # same size: only the hash can tell
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    else:
        path.write_bytes(b"")
    os.chmod(path, stat.S_IRUSR)


@pytest.mark.parametrize("how", ["flipped", "truncated", "emptied"])
def test_importing_the_photo_again_repairs_a_damaged_copy(tmp_path, noisy_jpeg, how):
    blobs = BlobStore(tmp_path / "blobs")
    sha = import_photo(noisy_jpeg, blobs).sha256
    stored = blobs.path_for(sha)
    _damage(stored, how)
    assert not blobs.verify(sha)

    again = import_photo(noisy_jpeg, blobs)

    assert again.sha256 == sha
    assert again.created is True  # the bytes were written again
    assert blobs.verify(sha)
    assert stored.read_bytes() == noisy_jpeg.read_bytes()
    assert stored.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert list(blobs.iter_shas()) == [sha]
    assert not list((tmp_path / "blobs").rglob(".incoming-*"))  # no temp file left behind


def test_an_intact_copy_is_left_alone(tmp_path, noisy_jpeg):
    blobs = BlobStore(tmp_path / "blobs")
    sha = blobs.put_file(noisy_jpeg).sha256
    before = blobs.path_for(sha).stat()
    again = blobs.put_bytes(noisy_jpeg.read_bytes())
    after = blobs.path_for(sha).stat()
    assert again.created is False
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not list((tmp_path / "blobs").rglob(".incoming-*"))


def test_a_failed_repair_leaves_the_damaged_copy_and_no_temp_file(tmp_path, noisy_jpeg,
                                                                   monkeypatch):
    """The disk fills up during the repair: nothing half-written takes the blob's place."""
    import errno

    blobs = BlobStore(tmp_path / "blobs")
    sha = blobs.put_file(noisy_jpeg).sha256
    _damage(blobs.path_for(sha), "truncated")
    damaged = blobs.path_for(sha).read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(BlobWriteError) as err:
        blobs.put_file(noisy_jpeg)
    assert err.value.code == "disk_full"
    monkeypatch.undo()
    assert blobs.path_for(sha).read_bytes() == damaged
    assert not list((tmp_path / "blobs").rglob(".incoming-*"))
    assert blobs.put_file(noisy_jpeg).created and blobs.verify(sha)
