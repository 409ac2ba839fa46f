"""GeoJSON (RFC 7946) of every judged building, for SOBO-WEB or any GIS.

- A FeatureCollection of Point features, coordinates [longitude, latitude] in WGS84 (the GNSS
  and EXIF positions the app records are WGS84 already), no "crs" member (RFC 7946 §4).
- A building without a position is kept, with "geometry": null (RFC 7946 §3.2), so the file
  still accounts for every judged building.
- Properties use ASCII keys (GIS tools handle them best) and carry codes plus Japanese labels;
  owner names are left out: the file is meant to leave the municipality.
- Each feature is built by SQLite (json_object) and written as it comes; see exports.source.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from survey_app.exports.columns import STATUS_LABELS, label_sql
from survey_app.exports.output import Progress, Ticker, atomic_path
from survey_app.exports.source import EXPR, count_buildings, local_time, select_sql, stream

_ISO = "%Y-%m-%dT%H:%M:%S+09:00"
PROPERTIES: tuple[tuple[str, str], ...] = (
    ("building_id", EXPR["building_id"]),
    ("address", EXPR["address"]),
    ("area", EXPR["area"]),
    ("structure", EXPR["structure"]),
    ("use_class", EXPR["use_class"]),
    ("hazard", EXPR["hazard"]),
    ("stage", EXPR["stage"]),
    ("status", EXPR["status"]),
    ("status_label", label_sql(EXPR["status"], STATUS_LABELS)),
    ("grade_code", EXPR["grade_code"]),
    ("grade", EXPR["grade"]),
    ("damage_ratio", EXPR["damage_ratio"]),
    ("flood", f"nullif({EXPR['flood']}, '')"),
    ("flood_depth_cm", EXPR["flood_depth_cm"]),
    ("fdma_row", f"nullif({EXPR['fdma']}, '')"),
    ("rules_version", EXPR["rules_version"]),
    ("first_judged_at", local_time(EXPR["first_judged_at"], _ISO)),
    ("judged_at", local_time(EXPR["judged_at"], _ISO)),
    ("location_source", EXPR["location_source"]),
    ("location_accuracy_m", EXPR["location_accuracy_m"]),
)
_GEOMETRY = ("CASE WHEN b.lat BETWEEN -90 AND 90 AND b.lon BETWEEN -180 AND 180"
             " THEN json_object('type', 'Point', 'coordinates',"
             " json_array(round(b.lon, 7), round(b.lat, 7))) ELSE json('null') END")
_HEAD = '{"type":"FeatureCollection","features":[\n'
_TAIL = "\n]}\n"


def feature_sql() -> str:
    properties = ", ".join(f"'{key}', {expr}" for key, expr in PROPERTIES)
    return (f"json_object('type', 'Feature', 'id', b.id, 'geometry', {_GEOMETRY},"
            f" 'properties', json_object({properties}))")


def export_geojson(db: Database, disaster_id: str, out: Path | str, *,
                   progress: Progress | None = None) -> int:
    """Write the judged buildings of a disaster; returns the number of features."""
    ticker = Ticker(count_buildings(db, disaster_id, judged_only=True), progress)
    sql = select_sql([feature_sql()], judged_only=True)
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(_HEAD)
        for (feature,) in stream(db, sql, disaster_id):
            if ticker.done:
                fh.write(",\n")
            fh.write(feature)
            ticker.tick()
        fh.write(_TAIL)
    ticker.finish()
    return ticker.done
