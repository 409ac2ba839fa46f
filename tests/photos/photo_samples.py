"""Helpers the photo tests share (plain functions; the fixtures are in conftest.py)."""

from __future__ import annotations

import io
import struct

from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

GPS = ExifTags.GPS


def rational(value: float | tuple[int, int]) -> IFDRational:
    if isinstance(value, tuple):
        return IFDRational(*value)
    return IFDRational(value)


def gps_ifd(lat: tuple, lat_ref: str, lon: tuple, lon_ref: str, extra: dict | None = None) -> dict:
    """A GPS IFD; lat/lon are (deg, min, sec) with each part a number or (num, den)."""
    ifd = {
        GPS.GPSLatitudeRef: lat_ref,
        GPS.GPSLatitude: tuple(rational(p) for p in lat),
        GPS.GPSLongitudeRef: lon_ref,
        GPS.GPSLongitude: tuple(rational(p) for p in lon),
    }
    ifd.update(extra or {})
    return ifd


def pattern_image(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """Grey with a red block at the top-left, so a wrong rotation is visible in a test."""
    im = Image.new("RGB", size, (128, 128, 128))
    im.paste((255, 0, 0), (0, 0, size[0] // 3, size[1] // 3))
    return im


def with_dimensions(jpeg: bytes, width: int, height: int) -> bytes:
    """The same JPEG with its frame header (SOF0) claiming another size: an image bomb."""
    data = bytearray(jpeg)
    sof = data.find(b"\xff\xc0")
    assert sof > 0, "no baseline frame header"
    data[sof + 5 : sof + 7] = height.to_bytes(2, "big")
    data[sof + 7 : sof + 9] = width.to_bytes(2, "big")
    return bytes(data)


# EXIF entry types by TIFF type code: how one value is packed (struct format, little-endian).
_PACK = {1: "B", 2: "B", 3: "H", 4: "I", 5: "II", 7: "B", 10: "ii"}


def _ifd(entries: dict[int, tuple[int, list]], start: int) -> bytes:
    """One little-endian IFD at file offset `start`, followed by the values that do not fit inline."""
    head = struct.pack("<H", len(entries))
    data = b""
    data_start = start + 2 + 12 * len(entries) + 4
    for tag, (kind, values) in sorted(entries.items()):
        flat = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
        packed = struct.pack("<" + _PACK[kind] * len(values), *flat)
        if len(packed) <= 4:
            field = packed.ljust(4, b"\x00")
        else:
            field = struct.pack("<I", data_start + len(data))
            data += packed + b"\x00" * (len(packed) % 2)
        head += struct.pack("<HHI", tag, kind, len(values)) + field
    return head + b"\x00\x00\x00\x00" + data


def jpeg_with_raw_exif(
    ifd0: dict[int, tuple[int, list]],
    gps: dict[int, tuple[int, list]] | None = None,
    exif: dict[int, tuple[int, list]] | None = None,
) -> bytes:
    """A small JPEG whose EXIF is written entry by entry, with any type, count and value.

    Pillow refuses to write most malformed values, so tests that need what buggy camera
    firmware writes (wrong types, wrong counts, 0 denominators) build the TIFF block here.
    Entries are {tag: (type code, [values])}; rationals are (numerator, denominator) tuples.
    """
    ifd0 = dict(ifd0)
    subs = [(0x8825, gps), (0x8769, exif)]
    for pointer, sub in subs:
        if sub is not None:
            ifd0[pointer] = (4, [0])
    offset = 8 + len(_ifd(ifd0, 8))
    for pointer, sub in subs:
        if sub is not None:
            ifd0[pointer] = (4, [offset])
            offset += len(_ifd(sub, offset))
    tiff = b"II*\x00\x08\x00\x00\x00" + _ifd(ifd0, 8)
    for _, sub in subs:
        if sub is not None:
            tiff += _ifd(sub, len(tiff))
    app1 = b"Exif\x00\x00" + tiff
    out = io.BytesIO()
    pattern_image().save(out, format="JPEG")
    jpeg = out.getvalue()
    return jpeg[:2] + b"\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1 + jpeg[2:]
