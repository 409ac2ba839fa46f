"""The building list (CSV, XLSX), GeoJSON and KML read back and checked against the store."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter

import jsonschema
from openpyxl import load_workbook

from survey_app.exports.columns import BUILDING_COLUMNS
from survey_app.services.exporting import run_export
from tests.exports.export_data import FORMULA_REMARK, TRICKY_REMARK

_NUMBER = {"type": "number"}
POINT = {"type": "object", "required": ["type", "coordinates"],
         "properties": {"type": {"const": "Point"},
                        "coordinates": {"type": "array", "minItems": 2, "maxItems": 3,
                                        "prefixItems": [{**_NUMBER, "minimum": -180, "maximum": 180},
                                                        {**_NUMBER, "minimum": -90, "maximum": 90}],
                                        "items": _NUMBER}}}
NO_CRS = {"not": {"required": ["crs"]}}
FEATURE = {"type": "object", "required": ["type", "geometry", "properties"],
           "properties": {"type": {"const": "Feature"},
                          "id": {"type": ["string", "number"]},
                          "geometry": {"oneOf": [{"type": "null"}, POINT]},
                          "properties": {"type": ["object", "null"]}}, **NO_CRS}
# RFC 7946: a FeatureCollection of Features; WGS84 implied, the "crs" member removed (§4).
RFC7946 = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "required": ["type", "features"],
           "properties": {"type": {"const": "FeatureCollection"},
                          "features": {"type": "array", "items": FEATURE}}, **NO_CRS}


def _judged(ws, did) -> dict[str, dict]:
    rows = ws.store.db.query(
        "SELECT b.id, b.lat, b.lon, s.grade_code FROM buildings b JOIN surveys s"
        " ON s.building_id = b.id WHERE b.disaster_id = ? AND s.head_version_id IS NOT NULL",
        [did])
    return {r["id"]: r for r in rows}


def _read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")              # the BOM Excel needs for UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_as_excel_opens_it(ws, data, tmp_path):
    out = tmp_path / "buildings.csv"
    result = run_export(ws.store, kind="csv", disaster_ids=[data["E"]], out=out)
    rows = _read_csv(out)
    assert list(rows[0]) == [c.ja for c in BUILDING_COLUMNS]
    assert len(rows) == result.count == ws.store.buildings.count(data["E"])
    by_id = {r["建物ID"]: r for r in rows}
    assert by_id[data["E1"]]["備考"] == TRICKY_REMARK      # newlines, commas, quotes survive
    assert by_id[data["E4"]]["備考"] == "'" + FORMULA_REMARK  # shown as text, never run
    assert by_id[data["E9"]]["調査状況"] == "調査予定なし"
    assert by_id[data["E8"]]["調査状況"] == "調査中"
    assert by_id[data["E10"]]["調査状況"] == "未調査"        # the re-survey is the latest
    assert by_id[data["E10"]]["被害の程度"] == "半壊"         # the judgement still stands
    assert by_id[data["E4"]]["世帯数"] == "2" and by_id[data["E4"]]["人数"] == "3"
    assert by_id[data["E3"]]["世帯数"] == "1" and by_id[data["E3"]]["人数"] == ""
    assert by_id[data["E11"]]["用途区分"] == "非住家（その他）"


def test_csv_grades_match_the_store(ws, data, tmp_path):
    out = tmp_path / "buildings.csv"
    run_export(ws.store, kind="csv", disaster_ids=[data["E"]], out=out)
    exported = Counter(r["被害の程度コード"] for r in _read_csv(out) if r["被害の程度コード"])
    stored = Counter(r["grade_code"] for r in _judged(ws, data["E"]).values())
    assert exported == stored


def test_csv_flood_rows(ws, data, tmp_path):
    out = tmp_path / "flood.csv"
    run_export(ws.store, kind="csv", disaster_ids=[data["F"]], out=out)
    by_id = {r["建物ID"]: r for r in _read_csv(out)}
    assert by_id[data["F1"]]["浸水区分"] == "床上浸水"
    assert by_id[data["F1"]]["床上浸水深(cm)"] == "120"
    assert by_id[data["F1"]]["第4号様式の区分"] == "半壊"
    assert by_id[data["F2"]]["第4号様式の区分"] == "床上浸水"
    assert by_id[data["F3"]]["浸水区分"] == "床下浸水"
    assert by_id[data["F3"]]["第4号様式の区分"] == "床下浸水"


def test_xlsx_opens_with_openpyxl(ws, data, tmp_path):
    out = tmp_path / "buildings.xlsx"
    run_export(ws.store, kind="csv", disaster_ids=[data["E"]], out=out)
    sheet = load_workbook(out)["建物一覧"]
    header, *rows = list(sheet.iter_rows())
    assert [c.value for c in header] == [c.ja for c in BUILDING_COLUMNS]
    assert len(rows) == ws.store.buildings.count(data["E"])
    remarks = {r[0].value: r[-1] for r in rows}
    assert remarks[data["E4"]].value == FORMULA_REMARK
    assert remarks[data["E4"]].data_type == "s"            # text, not a formula
    # XML keeps line breaks as LF (Excel's own line break in a cell).
    assert remarks[data["E1"]].value == TRICKY_REMARK.replace("\r\n", "\n")


def test_geojson_is_rfc7946(ws, data, tmp_path):
    out = tmp_path / "judged.geojson"
    result = run_export(ws.store, kind="geojson", disaster_ids=[data["E"]], out=out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(RFC7946).validate(doc)
    judged = _judged(ws, data["E"])
    assert result.count == len(doc["features"]) == len(judged)
    for feature in doc["features"]:
        stored = judged[feature["id"]]
        assert feature["properties"]["grade_code"] == stored["grade_code"]
        if stored["lat"] is None:
            assert feature["geometry"] is None
        else:       # [longitude, latitude], in that order
            assert feature["geometry"]["coordinates"] == [round(stored["lon"], 7),
                                                          round(stored["lat"], 7)]
    assert "所有者" not in out.read_text(encoding="utf-8")     # owner names stay home


def test_kml_has_every_located_judged_building(ws, data, tmp_path):
    out = tmp_path / "judged.kml"
    result = run_export(ws.store, kind="kml", disaster_ids=[data["E"]], out=out)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = ET.parse(out).getroot().findall(".//k:Placemark", ns)
    located = [r for r in _judged(ws, data["E"]).values() if r["lat"] is not None]
    assert result.count == len(marks) == len(located)
    lon, lat = marks[0].find(".//k:coordinates", ns).text.split(",")
    assert any(abs(float(lat) - r["lat"]) < 1e-9 and abs(float(lon) - r["lon"]) < 1e-9
               for r in located)


def test_progress_reaches_the_total(ws, data, tmp_path):
    calls: list[tuple[int, int]] = []
    run_export(ws.store, kind="geojson", disaster_ids=[data["E"]], out=tmp_path / "g.geojson",
               progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 11) and calls[-1] == (11, 11)
