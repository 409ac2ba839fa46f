"""MBTiles: a basemap as one SQLite file (the format of the MBTiles 1.3 spec).

Rows are stored in TMS order (row 0 at the south), while Leaflet asks for XYZ tiles (row 0 at the
north); the flip happens here and nowhere else.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER,"
    " tile_row INTEGER, tile_data BLOB)",
    "CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row)",
)


def tms_row(z: int, y: int) -> int:
    return (1 << z) - 1 - y


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator, clamped to the valid latitude range)."""
    lat = max(min(lat, 85.0511), -85.0511)
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tiles_in_bbox(south: float, west: float, north: float, east: float,
                  z: int) -> Iterator[tuple[int, int]]:
    x0, y0 = lonlat_to_tile(west, north, z)
    x1, y1 = lonlat_to_tile(east, south, z)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield x, y


def count_tiles(bbox: tuple[float, float, float, float], zooms: range) -> int:
    total = 0
    for z in zooms:
        x0, y0 = lonlat_to_tile(bbox[1], bbox[2], z)
        x1, y1 = lonlat_to_tile(bbox[3], bbox[0], z)
        total += (x1 - x0 + 1) * (y1 - y0 + 1)
    return total


class MBTiles:
    """One tile file. Readers open it read-only, so a missing file is never created by reading."""

    def __init__(self, path: Path, *, writable: bool = False) -> None:
        self.path = Path(path)
        if writable:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False)
            for statement in _SCHEMA:
                self._conn.execute(statement)
            self._conn.commit()
        else:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        row = self._conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, tms_row(z, y))).fetchone()
        return bytes(row[0]) if row else None

    def has(self, z: int, x: int, y: int) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, tms_row(z, y))).fetchone() is not None

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        self._conn.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                           (z, x, tms_row(z, y), data))
        self._conn.commit()

    def metadata(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT name, value FROM metadata"))

    def set_metadata(self, **values: object) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO metadata VALUES (?, ?)",
                               [(k, str(v)) for k, v in values.items()])
        self._conn.commit()

    def zoom_range(self) -> tuple[int, int] | None:
        row = self._conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        return None if row[0] is None else (row[0], row[1])

    def tile_count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM tiles").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> MBTiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
