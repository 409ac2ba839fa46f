from __future__ import annotations

import math
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.maps.mbtiles import MBTiles, count_tiles, lonlat_to_tile, tiles_in_bbox, tms_row


def test_tiles_are_stored_in_tms_rows_and_read_back_in_xyz(tmp_path):
    path = tmp_path / "t.mbtiles"
    with MBTiles(path, writable=True) as mb:
        mb.put(3, 5, 1, b"tile-5-1")
    with MBTiles(path) as mb:
        assert mb.tile(3, 5, 1) == b"tile-5-1"
        assert mb.tile(3, 5, 6) is None
        assert mb.zoom_range() == (3, 3)
    raw = sqlite3.connect(path).execute(
        "SELECT tile_row FROM tiles").fetchone()[0]
    assert raw == 6  # 2**3 - 1 - 1: the MBTiles file holds TMS rows


def test_reading_never_creates_a_missing_file(tmp_path):
    path = tmp_path / "missing.mbtiles"
    with pytest.raises(sqlite3.OperationalError):
        MBTiles(path)
    assert not path.exists()


def _tile_corner(x: int, y: int, z: int) -> tuple[float, float]:
    """North-west corner (lon, lat) of an XYZ tile: the inverse Web Mercator formula."""
    n = 1 << z
    return x / n * 360.0 - 180.0, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


@given(st.floats(min_value=-179.9, max_value=179.9), st.floats(min_value=-85.0, max_value=85.0),
       st.integers(min_value=0, max_value=18))
def test_the_tile_found_contains_the_point(lon, lat, z):
    x, y = lonlat_to_tile(lon, lat, z)
    west, north = _tile_corner(x, y, z)
    east, south = _tile_corner(x + 1, y + 1, z)
    assert west - 1e-9 <= lon <= east + 1e-9
    assert south - 1e-9 <= lat <= north + 1e-9  # tile edges are shared up to rounding


def test_sendai_is_in_the_north_east_quarter_at_zoom_1():
    assert lonlat_to_tile(140.8822, 38.2601, 1) == (1, 0)


@given(st.integers(min_value=0, max_value=18), st.data())
def test_tms_flip_is_its_own_inverse(z, data):
    y = data.draw(st.integers(min_value=0, max_value=(1 << z) - 1))
    assert tms_row(z, tms_row(z, y)) == y


def test_count_matches_the_enumeration():
    bbox = (38.20, 140.80, 38.30, 140.95)
    zooms = range(10, 15)
    assert count_tiles(bbox, zooms) == sum(len(list(tiles_in_bbox(*bbox, z))) for z in zooms)


def test_metadata_round_trip(tmp_path):
    with MBTiles(tmp_path / "m.mbtiles", writable=True) as mb:
        mb.set_metadata(name="荒井", attribution="地理院タイル", maxzoom=16)
        assert mb.metadata() == {"name": "荒井", "attribution": "地理院タイル", "maxzoom": "16"}
