"""Turning exifread tag values into plain numbers, one field at a time, never raising.

exifread gives rationals as `Ratio` (a Fraction that tolerates a zero denominator), integers
as lists and text as str. Each converter raises BadValue on nonsense; TagReader.read turns any
such failure into None plus a translated warning naming the tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

from survey_app.i18n import tr

T = TypeVar("T")

_DATE_RE = re.compile(
    r"(\d{4})[:/-](\d{2})[:/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?"
)
_OFFSET_RE = re.compile(r"([+-])(\d{2}):(\d{2})")
# Errors a converter may hit on values of the wrong type or shape.
_VALUE_ERRORS = (
    ValueError,
    TypeError,
    ZeroDivisionError,
    IndexError,
    AttributeError,
    OverflowError,
)


class BadValue(ValueError):
    pass


class TagReader:
    """Typed access to exifread's tags that records what it could not use in `warnings`."""

    def __init__(self, tags: dict[str, Any], warnings: list[str]) -> None:
        self.tags = tags
        self.warnings = warnings

    def raw(self, key: str) -> Any:
        tag = self.tags.get(key)
        return None if tag is None else getattr(tag, "values", tag)

    def warn(self, key: str, value: Any) -> None:
        shown = str(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        self.warnings.append(tr("photos.exif_bad_value", tag=key.split()[-1], value=shown))

    def read(self, key: str, convert: Callable[[Any], T]) -> T | None:
        value = self.raw(key)
        if value is None:
            return None
        try:
            return convert(value)
        except _VALUE_ERRORS:
            self.warn(key, value)
            return None

    def text(self, key: str) -> str | None:
        """A text tag stripped of padding (cameras pad with spaces and NULs); "" becomes None."""
        return self.read(key, _text) or None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        raise BadValue(value)
    return value.strip(" \x00\t\r\n")


def _number(value: Any) -> float:
    """A rational or integer as a float; a 0 denominator is a bad value, not an infinity."""
    if isinstance(value, list | tuple):
        if not value:
            raise BadValue(value)
        value = value[0]
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        and not hasattr(value, "denominator")
    ):
        raise BadValue(value)
    denominator = getattr(value, "denominator", 1)
    if denominator == 0:
        raise BadValue(value)
    numerator = getattr(value, "numerator", value)
    result = numerator / denominator
    if result != result or result in (float("inf"), float("-inf")):
        raise BadValue(value)
    return float(result)


def _integer(value: Any) -> int:
    if isinstance(value, list | tuple):
        if not value:
            raise BadValue(value)
        value = value[0]
    if isinstance(value, bytes) and len(value) == 1:
        return value[0]
    if isinstance(value, str):
        return int(value.strip(" \x00"))
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue(value)
    return value


def _dms(value: Any) -> float:
    """Degrees, minutes, seconds (some cameras write only one or two parts) as degrees."""
    if not isinstance(value, list | tuple) or not 1 <= len(value) <= 3:
        raise BadValue(value)
    parts = [_number(v) for v in value]
    if any(p < 0 for p in parts) or any(p >= 60 for p in parts[1:]):
        raise BadValue(value)
    return sum(p / 60**i for i, p in enumerate(parts))


def coordinate(reader: TagReader, key: str, ref_key: str, refs: str, limit: float) -> float | None:
    """Latitude (refs "NS", limit 90) or longitude (refs "EW", limit 180); S and W negative."""
    degrees = reader.read(key, _dms)
    if degrees is None:
        return None
    if degrees > limit:
        reader.warn(key, reader.raw(key))
        return None
    ref = (reader.text(ref_key) or "").upper()[:1]
    if not ref:
        # A value without its hemisphere: read as N/E, the common default, but say so.
        reader.warnings.append(tr("photos.exif_missing_ref", tag=ref_key.split()[-1]))
        return degrees
    if ref not in refs:
        reader.warn(ref_key, reader.raw(ref_key))
        return None
    return -degrees if ref == refs[1] else degrees


def altitude(reader: TagReader) -> float | None:
    metres = reader.read("GPS GPSAltitude", _number)
    if metres is None:
        return None
    ref = reader.read("GPS GPSAltitudeRef", _integer)
    if ref not in (None, 0, 1):
        reader.warn("GPS GPSAltitudeRef", reader.raw("GPS GPSAltitudeRef"))
        return None
    return -metres if ref == 1 else metres


def direction(reader: TagReader) -> float | None:
    return reader.read("GPS GPSImgDirection", _in_range(_number, 0, 360))


def direction_ref(reader: TagReader) -> str | None:
    ref = (reader.text("GPS GPSImgDirectionRef") or "").upper()
    if ref in ("T", "M"):
        return ref
    if ref:
        reader.warn("GPS GPSImgDirectionRef", ref)
    return None


def orientation(reader: TagReader) -> int | None:
    return reader.read("Image Orientation", _in_range(_integer, 1, 8))


def pixel_size(reader: TagReader) -> tuple[int | None, int | None]:
    positive = _in_range(_integer, 1, 1_000_000)
    width = reader.read("EXIF ExifImageWidth", positive) or reader.read(
        "Image ImageWidth", positive
    )
    height = reader.read("EXIF ExifImageLength", positive) or reader.read(
        "Image ImageLength", positive
    )
    return width, height


def taken_at(reader: TagReader) -> datetime | None:
    """DateTimeOriginal (else DateTime), made aware by the matching OffsetTime tag if present."""
    for key, offset_key in (
        ("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal"),
        ("Image DateTime", "EXIF OffsetTime"),
    ):
        text = reader.text(key)
        if text is None or _is_blank_date(text):
            continue
        when = reader.read(key, _parse_datetime)
        if when is None:
            continue
        offset = reader.read(offset_key, _parse_offset)
        return when.replace(tzinfo=offset) if offset and when.tzinfo is None else when
    return None


def _is_blank_date(text: str) -> bool:
    # Cameras without a clock write "0000:00:00 00:00:00" or only separators: unknown, not bad.
    return not text.strip(" :0-/\x00")


def _parse_datetime(value: Any) -> datetime:
    match = _DATE_RE.fullmatch(_text(value))
    if not match:
        raise BadValue(value)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    zone = match.group(7)
    tz = None if zone is None else UTC if zone == "Z" else _parse_offset(zone)
    return datetime(year, month, day, hour, minute, second, tzinfo=tz)


def _parse_offset(value: Any) -> timezone:
    match = _OFFSET_RE.fullmatch(_text(value))
    if not match:
        raise BadValue(value)
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _in_range(convert: Callable[[Any], Any], low: float, high: float) -> Callable[[Any], Any]:
    def checked(value: Any) -> Any:
        result = convert(value)
        if not low <= result <= high:
            raise BadValue(value)
        return result

    return checked
