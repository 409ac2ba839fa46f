"""Photo intake: validate, store the original, read its EXIF, make its thumbnail.

A photo is decoded before anything is stored, so a corrupt or truncated file never becomes a
blob. Bulk imports (a whole SD card) report each bad file and go on with the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from survey_app.i18n import tr
from survey_app.photos.blobstore import BlobStore, hash_file
from survey_app.photos.errors import ImageRejected, PhotoError
from survey_app.photos.exif import PhotoMeta, read_meta
from survey_app.photos.imaging import Decoded, decode
from survey_app.photos.thumbnails import DEFAULT_THUMB_PX, encode_jpeg

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".heic", ".heif", ".png", ".tif", ".tiff"})
# What inspect_photo decodes to: small, since only validation and the header matter there.
_INSPECT_PX = 64

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]


@dataclass(frozen=True)
class IntakeResult:
    source: Path
    sha256: str
    size: int
    created: bool  # False when the same bytes were already in the store
    mime: str
    width: int  # as displayed (EXIF orientation applied)
    height: int
    meta: PhotoMeta
    thumbnail: bytes  # JPEG, upright


@dataclass(frozen=True)
class IntakeFailure:
    source: Path
    code: str  # an ImageRejected code, or the BlobWriteError code ("disk_full", ...)
    message: str  # Japanese (the current language), ready to show


def import_photo(path: Path, blobs: BlobStore, *, thumb_px: int = DEFAULT_THUMB_PX) -> IntakeResult:
    """Store one photo. Raises a PhotoError (ImageRejected, BlobWriteError) and then stores nothing."""
    path = Path(path)
    decoded = decode(path, thumb_px)
    ref = blobs.put_file(path)
    meta = _meta(path, decoded)
    return IntakeResult(
        source=path,
        sha256=ref.sha256,
        size=ref.size,
        created=ref.created,
        mime=decoded.mime,
        width=decoded.width,
        height=decoded.height,
        meta=meta,
        thumbnail=encode_jpeg(decoded.image),
    )


def import_many(
    paths: Iterable[Path],
    blobs: BlobStore,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    *,
    thumb_px: int = DEFAULT_THUMB_PX,
) -> list[IntakeResult | IntakeFailure]:
    """Import each path in order, one result per path attempted.

    `progress(done, total)` is called once before the first file and after every file;
    `cancelled()` is checked before each file and stops the run (the list is then shorter than
    `paths`; what was imported stays imported). Both are called on the caller's thread.
    """
    todo = list(paths)
    results: list[IntakeResult | IntakeFailure] = []
    if progress:
        progress(0, len(todo))
    for done, path in enumerate(todo, start=1):
        if cancelled and cancelled():
            break
        try:
            results.append(import_photo(path, blobs, thumb_px=thumb_px))
        except PhotoError as err:
            results.append(IntakeFailure(source=Path(path), code=err.code, message=err.message))
        if progress:
            progress(done, len(todo))
    return results


def iter_image_files(folder: Path, recursive: bool = True) -> Iterator[Path]:
    """Photo files under `folder` (e.g. an SD card's DCIM) by extension, case-insensitively.

    Order is stable: a folder's own files sorted by name, then its subfolders in name order.
    A missing folder raises PhotoError here, not on the first next().
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PhotoError(tr("photos.folder_missing", path=folder), code="folder_missing")
    return _walk(folder, recursive)


def _walk(folder: Path, recursive: bool) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        if not recursive:
            dirs.clear()
        for name in sorted(files):
            # "._IMG_0001.JPG" are macOS resource-fork shadows on FAT cards, not photos.
            if name.startswith("._"):
                continue
            if os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
                yield Path(root) / name


def inspect_photo(path: Path) -> dict[str, Any]:
    """What the `photo-info` command prints for one file: its facts, or an error and its code."""
    path = Path(path)
    try:
        decoded = decode(path, _INSPECT_PX)
        sha, size = hash_file(path)
    except ImageRejected as err:
        return {"path": str(path), "error": err.message, "error_code": err.code}
    except OSError as err:
        reason = err.strerror or type(err).__name__
        message = tr("photos.unreadable", path=path, reason=reason)
        return {"path": str(path), "error": message, "error_code": "unreadable"}
    info: dict[str, Any] = {
        "path": str(path),
        "sha256": sha,
        "size": size,
        "mime": decoded.mime,
        "width": decoded.width,
        "height": decoded.height,
    }
    info.update(_meta(path, decoded).to_dict())
    return info


def _meta(path: Path, decoded: Decoded) -> PhotoMeta:
    meta = read_meta(path, fallback_exif=decoded.raw_exif)
    if decoded.original_orientation and meta.orientation != decoded.original_orientation:
        # pillow-heif turns HEIC upright while decoding and resets the tag it hands on to 1;
        # the original file still says how it was shot.
        return replace(meta, orientation=decoded.original_orientation)
    return meta
