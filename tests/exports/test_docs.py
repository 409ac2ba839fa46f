"""docs/exports.md keeps the column dictionaries and GeoJSON properties of the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.exports.columns import BUILDING_COLUMNS
from survey_app.exports.geojson import PROPERTIES
from survey_app.exports.ledger import COLUMNS as LEDGER_COLUMNS
from survey_app.services.dashboard import FIGURES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("header", [c.ja for c in BUILDING_COLUMNS])
def test_building_column_documented(header):
    assert f"| {header} |" in DOC


@pytest.mark.parametrize("header", [h for h, _ in LEDGER_COLUMNS])
def test_ledger_column_documented(header):
    assert f"| {header} |" in DOC


@pytest.mark.parametrize("key", [k for k, _ in PROPERTIES])
def test_geojson_property_documented(key):
    assert f"`{key}`" in DOC


@pytest.mark.parametrize("figure", FIGURES)
def test_dashboard_figure_documented(figure):
    assert f"(`{figure}`)" in DOC
