"""What the map shows: each home once (its latest survey), with its status and grade."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from survey_app.maps.fonts import find_japanese_font
from survey_app.maps.mbtiles import MBTiles
from survey_app.maps.page import MapPoint, TileSpec, build_map_page

if TYPE_CHECKING:
    from survey_app.services.workspace import Workspace

_POINTS_SQL = """
SELECT b.lat, b.lon, s.id, s.address, s.status, s.grade_code, s.building_id
FROM surveys s JOIN buildings b ON b.id = s.building_id
WHERE s.disaster_id = ? AND b.lat IS NOT NULL AND b.lon IS NOT NULL
ORDER BY s.created_at
"""


def map_points(ws: Workspace, disaster_id: str) -> list[MapPoint]:
    """One point per building: a later survey (second, re-survey) replaces an earlier one."""
    by_building: dict[str, MapPoint] = {}
    for *point, building_id in ws.store.db.execute(_POINTS_SQL, [disaster_id]):
        by_building[building_id] = tuple(point)
    return list(by_building.values())


def tile_spec(tiles_file: Path) -> TileSpec | None:
    """The basemap layer if a tile file exists (served to the page by the app's URL scheme)."""
    if not tiles_file.is_file():
        return None
    with MBTiles(tiles_file) as mb:
        meta = mb.metadata()
        zooms = mb.zoom_range()
    if zooms is None:
        return None
    return TileSpec(attribution=meta.get("attribution", ""), min_zoom=0,
                    max_native_zoom=zooms[1])


def build_disaster_map(ws: Workspace, disaster_id: str, page_dir: Path, *,
                       highlight: str | None = None, tiles_file: Path | None = None) -> Path:
    """Query the homes and write the map page; returns index.html's path."""
    tiles = tile_spec(tiles_file) if tiles_file is not None else None
    return build_map_page(map_points(ws, disaster_id), page_dir, highlight=highlight,
                          tiles=tiles, font=find_japanese_font())


def homes_bbox(ws: Workspace, disaster_id: str,
               margin: float = 0.005) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) around the disaster's located homes, or None if none is."""
    row = ws.store.db.execute(
        "SELECT min(b.lat), min(b.lon), max(b.lat), max(b.lon) FROM buildings b"
        " WHERE b.disaster_id = ? AND b.lat IS NOT NULL", [disaster_id]).fetchone()
    if row[0] is None:
        return None
    return (row[0] - margin, row[1] - margin, row[2] + margin, row[3] + margin)
