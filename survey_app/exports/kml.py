"""KML 2.2 of the judged buildings that have a position (Google Earth, 地理院地図 and most GIS).

One Placemark per building, coloured by grade; like the GeoJSON it leaves owner names out.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from sqlite_utils import Database

from survey_app.exports.columns import STATUS_LABELS
from survey_app.exports.output import Progress, Ticker, atomic_path
from survey_app.exports.source import count_buildings, rows

# KML colours are aabbggrr: deep red for 全壊 down to grey for 一部損壊.
GRADE_COLOURS = {"zenkai": "ff1c1cb0", "daikibo": "ff1c3ce0", "chukibo": "ff2080f0",
                 "hankai": "ff30b0f8", "junhankai": "ff60e0f0", "ichibu": "ffa0a0a0",
                 "hankai_miman": "ffa0a0a0"}
_KEYS = ("building_id", "address", "grade_code", "grade", "status", "damage_ratio", "lat", "lon",
         "judged_at")


def _styles() -> str:
    return "".join(
        f'<Style id="{code}"><IconStyle><color>{colour}</color><scale>0.8</scale>'
        "<Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href>"
        "</Icon></IconStyle></Style>\n" for code, colour in GRADE_COLOURS.items())


def _placemark(values: tuple) -> str:
    bid, address, code, grade, status, ratio, lat, lon, judged_at = values
    data = {"建物ID": bid, "被害の程度": grade, "調査状況": STATUS_LABELS.get(status, status),
            "損害割合(%)": "" if ratio is None else ratio, "判定日時(UTC)": judged_at}
    extended = "".join(f'<Data name="{escape(k)}"><value>{escape(str(v or ""))}</value></Data>'
                       for k, v in data.items())
    style = f"<styleUrl>#{code}</styleUrl>" if code in GRADE_COLOURS else ""
    return (f"<Placemark><name>{escape(address)}</name><description>{escape(grade or '')}"
            f"</description>{style}<ExtendedData>{extended}</ExtendedData>"
            f"<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>\n")


def export_kml(db: Database, disaster_id: str, out: Path | str, *,
               progress: Progress | None = None) -> int:
    """Write the located judged buildings; returns the number of placemarks."""
    ticker = Ticker(count_buildings(db, disaster_id, judged_only=True), progress)
    written = 0
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
                 "<name>被害認定調査の結果</name>\n" + _styles())
        for values in rows(db, disaster_id, _KEYS, judged_only=True):
            ticker.tick()
            lat, lon = values[6], values[7]
            if lat is None or lon is None:
                continue
            fh.write(_placemark(values))
            written += 1
        fh.write("</Document></kml>\n")
    ticker.finish()
    return written
