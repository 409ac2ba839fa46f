"""Photos decoded for the screen, as plain RGB bytes.

The UI decodes on worker threads. Decoding with Qt there can deadlock: Qt's image readers take
Qt's global signal lock while the worker holds Python's GIL, and the GUI thread, holding that
lock in a disconnect, waits for the GIL (seen: a test run hung for good). Pillow decodes
without any Qt lock; the GUI thread only wraps the finished bytes (ui/images.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from survey_app.photos.errors import ImageRejected
from survey_app.photos.imaging import decode


@dataclass(frozen=True)
class Pixels:
    width: int
    height: int
    rgb: bytes  # 3 bytes a pixel, rows one after another


def _of(image: Image.Image) -> Pixels:
    rgb = image.convert("RGB")
    return Pixels(rgb.width, rgb.height, rgb.tobytes())


def photo_pixels(path: Path, max_px: int) -> Pixels | None:
    """The photo upright, at most `max_px` a side; None if it cannot be decoded."""
    try:
        return _of(decode(path, max_px).image)
    except ImageRejected:
        return None


def thumbnail_pixels(data: bytes | None) -> Pixels | None:
    """A stored thumbnail (JPEG bytes); None if there is none or it is broken."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as im:
            return _of(im)
    except (OSError, ValueError, SyntaxError):
        return None
