"""The FDMA housing report against the hand-counted fixed data set, in every format."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from survey_app.exports import fdma
from survey_app.services.exporting import run_export
from tests.exports.export_data import FDMA_SUZU, FDMA_WAJIMA


def _tally(row: fdma.FdmaRow, code: str) -> tuple:
    t = row.lines[code]
    people = dict((c, p) for c, _, p in fdma.LINES)[code]
    return (t.buildings, t.households, t.persons) if people else (t.buildings,)


def test_report_matches_the_hand_count(ws, data):
    report = fdma.build_report(ws.store.db, [data["E"], data["F"]])
    wajima, suzu = report.rows
    assert (wajima.municipality_name, suzu.municipality_name) == ("輪島市", "珠洲市")
    assert {c: _tally(wajima, c) for c in FDMA_WAJIMA} == FDMA_WAJIMA
    assert {c: _tally(suzu, c) for c in FDMA_SUZU} == FDMA_SUZU
    total = {c: tuple(a + b for a, b in zip(FDMA_WAJIMA[c], FDMA_SUZU[c], strict=True))
             for c in FDMA_WAJIMA}
    assert {c: _tally(report.total, c) for c in total} == total
    # り災世帯・り災者 = 全壊 + 半壊 + 床上浸水; E3 and the two 床下 houses have unknown persons.
    risai = report.total.risai()
    assert (risai.households, risai.persons) == (1 + 5 + 0 + 1 + 1, 3 + 5 + 2 + 1)
    assert (wajima.unknown_households(), suzu.unknown_households()) == (1, 2)
    assert (wajima.unjudged, suzu.unjudged) == (2, 0)


def test_each_judged_building_counted_at_most_once(ws, data):
    report = fdma.build_report(ws.store.db, [data["E"]])
    counted = sum(report.total.lines[c].buildings for c, *_ in fdma.LINES
                  if c not in fdma.SUB_ROWS)
    judged = ws.store.db.execute(
        "SELECT count(DISTINCT building_id) FROM surveys WHERE disaster_id = ? AND"
        " head_version_id IS NOT NULL", [data["E"]]).fetchone()[0]
    # E7 (0 %) and E13 (a garage judged 準半壊) are judged but not reportable.
    assert counted == judged - 2


def _expected_rows(ws, data) -> list[list]:
    report = fdma.build_report(ws.store.db, [data["E"], data["F"]])
    return [fdma.values(r) for r in [*report.rows, report.total]]


def test_csv_reads_back(ws, data, tmp_path):
    out = tmp_path / "fdma.csv"
    run_export(ws.store, kind="fdma", disaster_ids=[data["E"], data["F"]], out=out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == fdma.header()
    expected = [[str(v) for v in row] for row in _expected_rows(ws, data)]
    assert rows == expected


def test_xlsx_reads_back(ws, data, tmp_path):
    out = tmp_path / "fdma.xlsx"
    run_export(ws.store, kind="fdma", disaster_ids=[data["E"], data["F"]], out=out)
    sheet = load_workbook(out).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == fdma.header()
    # An empty text cell (the total's municipality code) reads back as an empty cell.
    assert rows[1:4] == [[None if v == "" else v for v in r] for r in _expected_rows(ws, data)]
    assert any(r[0] and "集計の定義" in str(r[0]) for r in rows[4:])


def test_pdf_holds_the_figures_with_the_font_embedded(ws, data, tmp_path):
    out = tmp_path / "fdma.pdf"
    run_export(ws.store, kind="fdma", disaster_ids=[data["E"]], out=out, as_of="2024-01-31 09:00")
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for word in ("被害状況即報", "輪島市", "全壊", "うち大規模半壊", "床下浸水", "非住家",
                 "2024-01-31 09:00"):
        assert word in text
    fonts = PdfReader(out).pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   if "/DescendantFonts" in f.get_object() else f.get_object()["/FontDescriptor"]
                   for f in fonts.values()]
    assert all("/FontFile2" in d for d in descriptors)     # TrueType, embedded
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        assert "Helvetica" not in listing


@pytest.mark.parametrize("kind", ["fdma"])
def test_unknown_format_is_refused_in_japanese(ws, data, tmp_path, kind):
    from survey_app.services.exporting import ExportError

    with pytest.raises(ExportError, match="形式"):
        run_export(ws.store, kind=kind, disaster_ids=[data["E"]], out=tmp_path / "x.kml")
