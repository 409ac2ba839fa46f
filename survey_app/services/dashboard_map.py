"""The dashboard's map of grades: judged buildings binned on a grid over their bounding box.

A grid keeps the figure the same size whether 300 or 300,000 buildings are judged; each cell
shows its most severe grade and how many buildings it holds. Positions are WGS84 lat/lon.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from survey_app.exports.source import select_sql, stream

GRID = 120
SEVERITY = {"zenkai": 6, "daikibo": 5, "chukibo": 4, "hankai": 3, "junhankai": 2, "ichibu": 1,
            "hankai_miman": 1}


@dataclass
class GradeCell:
    lat: float          # the cell's centre
    lon: float
    grade_code: str     # the most severe grade in the cell
    count: int


def _bounds(db: Database, disaster_id: str) -> tuple[float, float, float, float] | None:
    row = db.execute(
        "SELECT min(lat), max(lat), min(lon), max(lon) FROM buildings WHERE disaster_id = ?"
        " AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", [disaster_id]).fetchone()
    return None if row[0] is None else row


def grade_cells(db: Database, disaster_id: str, grid: int = GRID) -> list[GradeCell]:
    bounds = _bounds(db, disaster_id)
    if bounds is None:
        return []
    lat0, lat1, lon0, lon1 = bounds
    step_lat = (lat1 - lat0) / grid or 1e-6
    step_lon = (lon1 - lon0) / grid or 1e-6
    cells: dict[tuple[int, int], list] = {}
    sql = select_sql(["b.lat", "b.lon", "j.grade_code"], judged_only=True)
    for lat, lon, code in stream(db, sql, disaster_id):
        if lat is None or lon is None or not (lat0 <= lat <= lat1 and lon0 <= lon <= lon1):
            continue
        key = (min(int((lat - lat0) / step_lat), grid - 1), min(int((lon - lon0) / step_lon),
                                                                grid - 1))
        cell = cells.setdefault(key, [code, 0])
        if SEVERITY.get(code, 0) > SEVERITY.get(cell[0], 0):
            cell[0] = code
        cell[1] += 1
    return [GradeCell(lat0 + (i + 0.5) * step_lat, lon0 + (j + 0.5) * step_lon, code, n)
            for (i, j), (code, n) in sorted(cells.items())]


