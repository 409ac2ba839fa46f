"""Opening a photo with Pillow: validate it, decode it small and upright, or say what is wrong.

One decode does both jobs. `im.draft()` makes libjpeg decode at 1/2, 1/4 or 1/8 scale, which still
reads every byte of the compressed data, so a truncated or broken file fails here, before it is
stored, at about a third of the cost of a full decode (stack.md §6). That relies on Pillow's
ImageFile.LOAD_TRUNCATED_IMAGES keeping its default, False: nothing in the app may set it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import struct
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from survey_app.i18n import tr
from survey_app.photos.errors import ImageRejected

# 200 MP covers the largest phone sensors (about 16320 x 12240); anything bigger is refused
# before decoding, so a crafted header cannot make us allocate gigabytes.
MAX_PIXELS = 200_000_000
# Pillow's own guard (default about 89 MP, raising at twice that) would refuse a 200 MP phone
# photo first; raised to our limit it still raises past 2 x MAX_PIXELS, and below that our
# check in _decode_open decides, with a message that names the size.
if Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS < MAX_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ORIENTATION_TAG = 0x0112
_TRANSPOSED = {5, 6, 7, 8}  # orientations that swap width and height
# What Pillow and its plugins raise on broken data besides OSError.
_DECODE_ERRORS = (
    OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError,
    ZeroDivisionError, RuntimeError, struct.error,
)  # fmt: skip


@dataclass
class Decoded:
    """A validated photo: a small upright copy plus what the decoder learned about the file."""

    image: Image.Image  # upright, at most max_px on its longer side, loaded
    format: str
    mime: str
    width: int  # as displayed (after the EXIF orientation), in pixels of the original
    height: int
    raw_exif: bytes | None  # the EXIF block as the decoder found it
    original_orientation: int | None  # set by pillow-heif, which rotates HEIC while decoding


@cache
def enable_heif() -> bool:
    """Teach Pillow HEIC/HEIF (iPhone photos) once, on first use; False if pillow-heif is absent."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def decode(path: Path, max_px: int) -> Decoded:
    """Decode `path` to an upright image of at most `max_px` per side; ImageRejected if unusable."""
    _check_file(path)
    enable_heif()
    try:
        with _open(path) as im:
            return _decode_open(im, max_px)
    except ImageRejected:
        raise
    except UnidentifiedImageError:
        raise ImageRejected(tr("photos.not_image", path=path), code="not_image") from None
    except Image.DecompressionBombError:
        raise ImageRejected(tr("photos.too_large_unknown", path=path), code="too_large") from None
    except MemoryError:
        raise ImageRejected(tr("photos.too_large_unknown", path=path), code="too_large") from None
    except _DECODE_ERRORS as err:
        raise _classify(err, path) from None


def _check_file(path: Path) -> None:
    try:
        size = os.stat(path).st_size
        os.close(os.open(path, os.O_RDONLY))  # catches a permission problem with a clear message
    except FileNotFoundError:
        raise ImageRejected(tr("photos.file_missing", path=path), code="unreadable") from None
    except PermissionError:
        raise ImageRejected(tr("photos.no_permission", path=path), code="unreadable") from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ImageRejected(
            tr("photos.unreadable", path=path, reason=reason), code="unreadable"
        ) from None
    if os.path.isdir(path):
        raise ImageRejected(tr("photos.is_folder", path=path), code="unreadable")
    if size == 0:
        raise ImageRejected(tr("photos.empty", path=path), code="empty")


def _open(path: Path) -> Image.Image:
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; our own limit below is the rule,
    # so its warning would be noise on the command line.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path)


def _decode_open(im: Image.Image, max_px: int) -> Decoded:
    width, height = im.size
    if width * height > MAX_PIXELS:
        raise ImageRejected(
            tr("photos.too_large", path=im.filename, width=width, height=height,
               limit=MAX_PIXELS // 1_000_000),
            code="too_large",
        )  # fmt: skip
    orientation = _orientation(im)
    fmt = im.format or "?"
    raw_exif = im.info.get("exif")
    turned = im.info.get("original_orientation")
    im.draft("RGB", (max_px, max_px))  # must come before anything loads the pixels
    im.load()  # decoding errors (truncated, corrupt) surface here, EXIF errors below do not
    if orientation is not None:
        _exif_transpose(im)
    im.thumbnail((max_px, max_px))
    if orientation in _TRANSPOSED:
        width, height = height, width
    return Decoded(
        image=im,
        format=fmt,
        mime=Image.MIME.get(fmt, "application/octet-stream"),
        width=width,
        height=height,
        raw_exif=raw_exif if isinstance(raw_exif, bytes) else None,
        original_orientation=turned if isinstance(turned, int) else None,
    )


def _orientation(im: Image.Image) -> int | None:
    """The EXIF orientation, or None when the EXIF block is too broken for Pillow to read.

    A photo whose pixels are fine must not be refused because of its EXIF; exif_transpose is
    then skipped and the photo stays as stored.
    """
    try:
        return int(im.getexif().get(ORIENTATION_TAG, 1))
    except (*_DECODE_ERRORS, UnicodeDecodeError):
        return None


def _exif_transpose(im: Image.Image) -> None:
    # In place: exif_transpose turns the pixels first, then rewrites the EXIF copy it keeps in
    # im.info; if only that rewrite fails the pixels are already upright, which is all we need.
    with contextlib.suppress(*_DECODE_ERRORS):
        ImageOps.exif_transpose(im, in_place=True)


def _classify(err: Exception, path: Path) -> ImageRejected:
    text = str(err)
    if "truncat" in text.lower() or isinstance(err, EOFError):
        return ImageRejected(tr("photos.truncated", path=path), code="truncated")
    if isinstance(err, OSError) and err.errno is not None and err.errno != errno.EINVAL:
        reason = err.strerror or text
        return ImageRejected(tr("photos.unreadable", path=path, reason=reason), code="unreadable")
    return ImageRejected(tr("photos.corrupt", path=path, reason=text or type(err).__name__))
