"""Intake: bad files are refused before storing, good ones stored once, folders scanned."""

from __future__ import annotations

import errno
import filecmp
import io
import os

import pytest
from photo_samples import gps_ifd, with_dimensions
from PIL import Image

from survey_app.photos import (
    BlobStore,
    ImageRejected,
    IntakeFailure,
    IntakeResult,
    PhotoError,
    import_many,
    import_photo,
    inspect_photo,
    iter_image_files,
)
from survey_app.photos.imaging import MAX_PIXELS, enable_heif


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_import_stores_the_original_and_returns_everything(tmp_path, make_jpeg):
    path = make_jpeg(
        "IMG_0001.JPG", size=(800, 600), orientation=6,
        gps=gps_ifd((38, 16, (2787, 500)), "N", (140, 52, 11), "E"),
    )  # fmt: skip
    blobs = BlobStore(tmp_path / "blobs")
    result = import_photo(path, blobs, thumb_px=200)
    assert filecmp.cmp(path, blobs.path_for(result.sha256), shallow=False)
    assert (result.size, result.created, result.mime) == (path.stat().st_size, True, "image/jpeg")
    assert (result.width, result.height) == (600, 800)  # as displayed
    assert result.meta.latitude == pytest.approx(38.268215, abs=1e-6)
    assert result.meta.orientation == 6
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG" and thumb.size == (150, 200)


def test_the_same_photo_imported_twice_is_one_blob(tmp_path, make_jpeg):
    path = make_jpeg()
    copy = tmp_path / "DCIM_copy.jpg"
    copy.write_bytes(path.read_bytes())
    blobs = BlobStore(tmp_path / "blobs")
    first, second = import_photo(path, blobs), import_photo(copy, blobs)
    assert first.sha256 == second.sha256
    assert (first.created, second.created) == (True, False)
    assert len(_stored_files(tmp_path / "blobs")) == 1


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("empty", "empty", "空"),
        ("not_image", "not_image", "画像ファイルではありません"),
        ("truncated", "truncated", "途中で切れています"),
        ("random", "not_image", "画像ファイルではありません"),
        ("corrupt", "corrupt", "壊れている"),
    ],
)
def test_bad_files_are_refused_and_never_stored(tmp_path, bad_files, kind, code, words):
    blobs = BlobStore(tmp_path / "blobs")
    with pytest.raises(ImageRejected) as err:
        import_photo(bad_files[kind], blobs)
    assert err.value.code == code
    assert words in err.value.message and str(bad_files[kind]) in err.value.message
    assert _stored_files(tmp_path / "blobs") == []


def test_missing_file_and_folder_are_unreadable(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    for path, words in ((tmp_path / "gone.jpg", "見つかりません"), (tmp_path, "フォルダ")):
        with pytest.raises(ImageRejected) as err:
            import_photo(path, blobs)
        assert err.value.code == "unreadable" and words in err.value.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_a_file_without_read_permission_is_unreadable(make_jpeg):
    path = make_jpeg()
    path.chmod(0)
    info = inspect_photo(path)
    assert info["error_code"] == "unreadable" and "権限" in info["error"]


@pytest.mark.parametrize(("width", "height"), [(60000, 60000), (15000, 15000), (12000, 17000)])
def test_image_bombs_are_refused_before_decoding(tmp_path, noisy_jpeg, width, height):
    # 60000² is past Pillow's own guard too; 15000² and 12000×17000 only past ours.
    assert width * height > MAX_PIXELS
    bomb = tmp_path / "bomb.jpg"
    bomb.write_bytes(with_dimensions(noisy_jpeg.read_bytes(), width, height))
    with pytest.raises(ImageRejected) as err:
        import_photo(bomb, BlobStore(tmp_path / "blobs"))
    assert err.value.code == "too_large" and "大きすぎ" in err.value.message
    if width * height < 2 * MAX_PIXELS:
        assert f"{width}×{height}" in err.value.message
    assert _stored_files(tmp_path / "blobs") == []


def test_a_200_megapixel_phone_photo_is_within_the_limit(tmp_path, noisy_jpeg):
    # Header only: 16320 × 12240 (a 200 MP sensor) over the scan data of a 400 × 300 photo;
    # the point is that the size check lets it through (the decoder then fills in grey).
    big = tmp_path / "big.jpg"
    big.write_bytes(with_dimensions(noisy_jpeg.read_bytes(), 16320, 12240))
    info = inspect_photo(big)
    assert info.get("error_code") != "too_large"
    assert (info["width"], info["height"]) == (16320, 12240)


def test_disk_full_during_import_leaves_no_blob(tmp_path, noisy_jpeg, monkeypatch):
    def no_space(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(PhotoError) as err:
        import_photo(noisy_jpeg, BlobStore(tmp_path / "blobs"))
    assert err.value.code == "disk_full"
    assert _stored_files(tmp_path / "blobs") == []


def test_every_real_camera_sample_imports(tmp_path, exif_samples):
    blobs = BlobStore(tmp_path / "blobs")
    files = sorted(exif_samples.rglob("*.jpg"))
    assert len(files) == 31
    for path in files:
        result = import_photo(path, blobs)
        assert blobs.verify(result.sha256), path.name
        assert result.meta.warnings == (), path.name
        assert Image.open(io.BytesIO(result.thumbnail)).size[0] > 0


def test_heic_imports_with_its_exif(tmp_path):
    if not enable_heif():
        pytest.skip("pillow-heif is not installed")
    from PIL import ExifTags

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.IFD.GPSInfo] = gps_ifd((35, 41, 22), "N", (139, 41, 30), "E")
    path = tmp_path / "IMG_0002.HEIC"
    try:
        Image.new("RGB", (64, 48), "gray").save(path, format="HEIF", exif=exif.tobytes())
    except (OSError, KeyError, ValueError):
        pytest.skip("pillow-heif cannot encode HEIF on this machine")
    result = import_photo(path, BlobStore(tmp_path / "blobs"))
    assert result.mime == "image/heif"
    assert (result.width, result.height) == (48, 64)
    assert result.meta.make == "Apple" and result.meta.orientation == 6
    assert result.meta.latitude == pytest.approx(35 + 41 / 60 + 22 / 3600)
    assert result.meta.warnings == ()


def test_import_many_reports_failures_and_goes_on(tmp_path, make_jpeg, bad_files):
    good = [make_jpeg(f"good{i}.jpg", size=(40 + i, 30)) for i in range(3)]
    paths = [good[0], bad_files["truncated"], good[1], bad_files["empty"], good[2]]
    seen: list[tuple[int, int]] = []
    results = import_many(
        paths, BlobStore(tmp_path / "blobs"), progress=lambda d, t: seen.append((d, t))
    )
    assert [type(r) for r in results] == [
        IntakeResult, IntakeFailure, IntakeResult, IntakeFailure, IntakeResult,
    ]  # fmt: skip
    assert [r.source for r in results] == paths
    assert [r.code for r in results if isinstance(r, IntakeFailure)] == ["truncated", "empty"]
    assert seen == [(i, 5) for i in range(6)]


def test_import_many_stops_when_cancelled(tmp_path, make_jpeg):
    paths = [make_jpeg(f"p{i}.jpg", size=(30 + i, 30)) for i in range(5)]
    seen: list[tuple[int, int]] = []
    results = import_many(
        paths, BlobStore(tmp_path / "blobs"),
        progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) > 2,
    )  # fmt: skip
    assert len(results) == 2 and all(isinstance(r, IntakeResult) for r in results)
    assert seen[-1] == (2, 5)
    assert len(_stored_files(tmp_path / "blobs")) == 2


def test_iter_image_files_finds_photos_on_a_card(tmp_path):
    card = tmp_path / "SDCARD"
    names = [
        "DCIM/100CANON/IMG_0001.JPG", "DCIM/100CANON/IMG_0002.jpeg", "DCIM/101APPLE/IMG_0003.HEIC",
        "DCIM/101APPLE/IMG_0004.heif", "scan.TIF", "plan.png", "DCIM/100CANON/._IMG_0001.JPG",
        "DCIM/100CANON/IMG_0001.CR2", "MISC/notes.txt", "DCIM/100CANON/MOV_0005.MP4",
    ]  # fmt: skip
    for name in names:
        (card / name).parent.mkdir(parents=True, exist_ok=True)
        (card / name).write_bytes(b"x")
    found = [p.relative_to(card).as_posix() for p in iter_image_files(card)]
    assert found == [  # a folder's own files first, then its subfolders, each sorted
        "plan.png", "scan.TIF", "DCIM/100CANON/IMG_0001.JPG", "DCIM/100CANON/IMG_0002.jpeg",
        "DCIM/101APPLE/IMG_0003.HEIC", "DCIM/101APPLE/IMG_0004.heif",
    ]  # fmt: skip
    top_only = [p.name for p in iter_image_files(card, recursive=False)]
    assert top_only == ["plan.png", "scan.TIF"]


def test_iter_image_files_on_a_missing_folder(tmp_path):
    with pytest.raises(PhotoError, match="フォルダが見つかりません"):
        iter_image_files(tmp_path / "no-card")


def test_inspect_photo_reports_facts_or_an_error(tmp_path, make_jpeg, bad_files):
    good = inspect_photo(make_jpeg(size=(120, 90)))
    assert good["mime"] == "image/jpeg" and (good["width"], good["height"]) == (120, 90)
    assert len(good["sha256"]) == 64 and good["size"] > 0 and "error" not in good
    assert {"latitude", "taken_at", "orientation", "make", "warnings"} <= set(good)
    bad = inspect_photo(bad_files["truncated"])
    assert set(bad) == {"path", "error", "error_code"} and bad["error_code"] == "truncated"
