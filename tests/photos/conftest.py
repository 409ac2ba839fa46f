"""Photo fixtures written by Pillow: JPEGs with chosen EXIF, and the broken files of the field."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from photo_samples import pattern_image
from PIL import ExifTags, Image


@pytest.fixture
def make_jpeg(tmp_path) -> Callable[..., Path]:
    """make_jpeg(name, gps=None, orientation=None, exif_ifd=None, base=None, size=(64, 48))."""

    def make(
        name: str = "photo.jpg",
        *,
        gps: dict | None = None,
        orientation: int | None = None,
        exif_ifd: dict | None = None,
        base: dict | None = None,
        size: tuple[int, int] = (64, 48),
        fmt: str = "JPEG",
    ) -> Path:
        exif = Image.Exif()
        if orientation is not None:
            exif[ExifTags.Base.Orientation] = orientation
        for tag, value in (base or {}).items():
            exif[tag] = value
        if gps:
            exif[ExifTags.IFD.GPSInfo] = gps
        if exif_ifd:
            exif[ExifTags.IFD.Exif] = exif_ifd
        path = tmp_path / name
        pattern_image(size).save(path, format=fmt, exif=exif.tobytes())
        return path

    return make


@pytest.fixture
def noisy_jpeg(tmp_path) -> Path:
    """A 400x300 JPEG of noise: enough compressed data that cutting it in half truncates scans."""
    path = tmp_path / "noisy.jpg"
    Image.effect_noise((400, 300), 60).convert("RGB").save(path, quality=90)
    return path


@pytest.fixture
def bad_files(tmp_path, noisy_jpeg) -> dict[str, Path]:
    """One file per kind of trouble, keyed by the error_code it must produce."""
    folder = tmp_path / "bad"
    folder.mkdir()
    files = {
        "empty": folder / "empty.jpg",
        "not_image": folder / "notes.jpg",
        "truncated": folder / "half.jpg",
        "random": folder / "random.jpg",
        "corrupt": folder / "bad_huffman.jpg",
    }
    files["empty"].write_bytes(b"")
    files["not_image"].write_text("これは写真ではありません\n", encoding="utf-8")
    data = noisy_jpeg.read_bytes()
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["random"].write_bytes(random.Random(7).randbytes(5000))
    broken = bytearray(data)
    dht = broken.find(b"\xff\xc4")
    broken[dht + 5 : dht + 21] = b"\xff" * 16  # impossible Huffman code counts
    files["corrupt"].write_bytes(bytes(broken))
    return files
