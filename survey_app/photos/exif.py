"""What a photo's EXIF says: when, where, which way, which camera. Read with exifread.

Camera firmware writes odd values (0/0 rationals, blank dates, refs missing), so every field is
read on its own: a bad value becomes None plus a warning in `PhotoMeta.warnings`, never an
exception. The conversions themselves live in exif_values.
"""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import exifread

from survey_app.i18n import tr
from survey_app.photos import exif_values as ev

# exifread logs "File format not recognized." for every non-image it is shown; without a handler
# Python would print that to stderr. The NullHandler keeps it quiet unless the app logs it.
logging.getLogger("exifread").addHandler(logging.NullHandler())

_EXIF_PREFIX = b"Exif\x00\x00"


@dataclass(frozen=True)
class PhotoMeta:
    taken_at: datetime | None = None  # aware when the camera wrote OffsetTimeOriginal
    latitude: float | None = None  # decimal degrees, south negative
    longitude: float | None = None  # decimal degrees, west negative
    altitude_m: float | None = None  # below sea level negative
    direction_deg: float | None = None  # where the camera pointed, 0-360
    direction_ref: str | None = None  # "T" true north, "M" magnetic north
    orientation: int | None = None  # EXIF 1-8 as stored in the original
    make: str | None = None
    model: str | None = None
    pixel_width: int | None = None  # as the camera declared it (may differ from the pixels)
    pixel_height: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["taken_at"] = self.taken_at.isoformat() if self.taken_at else None
        out["warnings"] = list(self.warnings)
        return out


def read_meta(path: Path, *, fallback_exif: bytes | None = None) -> PhotoMeta:
    """The EXIF of the file at `path`.

    `fallback_exif` is the raw EXIF block a decoder found (Pillow's `info["exif"]`); it is used
    when exifread cannot find EXIF in the file itself, as with HEIC written by libheif.
    """
    tags, problem = _process(path)
    if not tags and fallback_exif:
        tags, _ = _process_raw(fallback_exif)
        problem = problem if not tags else None
    notes = [tr("photos.exif_unreadable", reason=problem)] if problem else []
    return meta_from_tags(tags, notes)


def meta_from_tags(tags: dict[str, Any], warnings: list[str] | None = None) -> PhotoMeta:
    """A PhotoMeta from exifread's tag dictionary (keys like "GPS GPSLatitude")."""
    notes = list(warnings or ())
    reader = ev.TagReader(tags, notes)
    width, height = ev.pixel_size(reader)
    return PhotoMeta(
        taken_at=ev.taken_at(reader),
        latitude=ev.coordinate(reader, "GPS GPSLatitude", "GPS GPSLatitudeRef", "NS", 90.0),
        longitude=ev.coordinate(reader, "GPS GPSLongitude", "GPS GPSLongitudeRef", "EW", 180.0),
        altitude_m=ev.altitude(reader),
        direction_deg=ev.direction(reader),
        direction_ref=ev.direction_ref(reader),
        orientation=ev.orientation(reader),
        make=reader.text("Image Make"),
        model=reader.text("Image Model"),
        pixel_width=width,
        pixel_height=height,
        warnings=tuple(notes),
    )


def _process(path: Path) -> tuple[dict[str, Any], str | None]:
    """exifread's tags, or ({}, why) when it failed."""
    try:
        with open(path, "rb") as fh:
            return _run_exifread(fh), None
    except OSError as err:
        return {}, err.strerror or type(err).__name__
    except Exception as err:  # noqa: BLE001 - exifread on broken files raises anything (even AssertionError)
        return {}, type(err).__name__


def _process_raw(raw: bytes) -> tuple[dict[str, Any], str | None]:
    tiff = raw[len(_EXIF_PREFIX) :] if raw.startswith(_EXIF_PREFIX) else raw
    try:
        return _run_exifread(io.BytesIO(tiff)), None
    except Exception as err:  # noqa: BLE001 - same reason as above
        return {}, type(err).__name__


def _run_exifread(fh: Any) -> dict[str, Any]:
    # The embedded thumbnail is never used and costs a copy of up to 64 KB per photo.
    return exifread.process_file(fh, details=False, extract_thumbnail=False)
