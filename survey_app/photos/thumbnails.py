"""Small upright JPEG previews of photos, for lists, the map popup and certificates."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from survey_app.photos.imaging import decode

DEFAULT_THUMB_PX = 320
JPEG_QUALITY = 85
_BACKGROUND = (255, 255, 255)  # what transparent parts of a PNG become in a JPEG


def make_thumbnail(path: Path, max_px: int = DEFAULT_THUMB_PX) -> bytes:
    """A JPEG of at most `max_px` per side, turned upright per the EXIF orientation.

    Raises ImageRejected (a PhotoError) when the file is not a usable image.
    """
    return encode_jpeg(decode(Path(path), max_px).image)


def encode_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    """`image` as JPEG bytes; modes JPEG cannot hold (alpha, palette, 16-bit) become RGB."""
    out = io.BytesIO()
    _as_rgb(image).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _BACKGROUND)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit scans: scale to 8 bits instead of clipping everything above 255 to white.
        return image.convert("I").point(lambda v: v / 256).convert("L")
    return image.convert("RGB")
