"""observations.schema.json and the hand-written validator accept and reject the same inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from survey_app.domain.validation import check_observations
from survey_app.rules import Rulebook

FORMS = Path(__file__).resolve().parents[2] / "forms"
SCHEMA = Draft202012Validator(json.loads((FORMS / "schema" / "observations.schema.json").read_text("utf-8")))
BASE = {"hazard": "earthquake", "stage": "first", "structure": "wood", "disaster_date": "2024-08-01"}
ROOF = {"roof": {"degrees": [{"degree": "II", "area_percent": 20}]}}


def obs(**fields):
    return {**BASE, **fields}


def without(key):
    return {k: v for k, v in BASE.items() if k != key}


VALID = [
    obs(components=ROOF),
    obs(appearance={"total_collapse": True}),
    obs(inclination={"offsets_cm": [0, 1.5, 2, 60], "plumb_cm": 120, "max_settlement_cm": 0}),
    obs(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": 0.5}),
    obs(hazard="flood", flood={"external_force": False, "below_floor_only": True}),
    obs(hazard="flood", flood={"external_force": False, "below_floor_only": False,
                               "depth_above_floor_cm": 2000}),
    obs(components={"roof": {"total_units": 85, "degrees": [{"degree": "I", "units": 10},
                                                            {"degree": 0, "units": 75}]}}),
    obs(components={"foundation": {"damaged_length_m": 0, "perimeter_m": 30}}),
    obs(components={"roof": {"degrees": []}}),
    obs(floor_area={"lost_m2": 0, "total_m2": 0.1}),
    obs(hazard="liquefaction", liquefaction={"sinking": "none", "uneven_settlement_cm": 3}),
    obs(rules_version="2024-05.1", remarks="屋根瓦のずれ", meta={"anything": [1, 2]}),
]
INVALID = [
    without("hazard"),
    without("disaster_date"),
    obs(hazard="storm"),
    obs(stage="third"),
    obs(structure="steel"),
    obs(disaster_date="2024/08/01"),
    obs(disaster_date="2024-08-01\n"),
    obs(rules_version="../2024"),
    obs(colour="red"),
    obs(appearance={"total_collapse": 1}),
    obs(appearance={"collapsed": True}),
    obs(inclination={"offsets_cm": [1, 2, 300, 4]}),
    obs(inclination={"offsets_cm": [1, 2, 3]}),
    obs(inclination={"offsets_cm": [1, 2, 3, -1]}),
    obs(inclination={"offsets_cm": [1, 2, 3, True]}),
    obs(inclination={"plumb_cm": 120}),
    obs(inclination={"offsets_cm": [1, 1, 1, 1], "plumb_cm": 10}),
    obs(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": -100}),
    obs(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": 0}),
    obs(hazard="flood", flood={"depth_above_floor_cm": 10}),
    obs(hazard="flood", flood={"external_force": True, "below_floor_only": True,
                               "depth_above_floor_cm": 10}),
    obs(flood={"external_force": True}),
    obs(liquefaction={"sinking": "none"}),
    obs(hazard="liquefaction", liquefaction={"sinking": "deep"}),
    obs(components={}),
    obs(components={"Roof!": {"degrees": []}}),
    obs(components={"roof": {"degrees": [{"degree": "VI", "area_percent": 10}]}}),
    obs(components={"roof": {"degrees": [{"degree": "I", "area_percent": 101}]}}),
    obs(components={"roof": {"degrees": [{"degree": "I"}]}}),
    obs(components={"roof": {"degrees": [{"degree": "I", "area_percent": 10, "units": 2}]}}),
    obs(components={"roof": {"degrees": [{"degree": "I", "units": 2}]}}),
    obs(components={"roof": {"total_units": 0, "degrees": [{"degree": "I", "units": 2}]}}),
    obs(components={"roof": {"degrees": {"degree": "I"}}}),
    obs(components={"roof": {"damaged_length_m": 1}}),
    obs(components={"roof": {"degrees": [], "perimeter_m": 3}}),
    obs(components={"foundation": {"damaged_length_m": 1, "perimeter_m": 0}}),
    obs(floor_area={"lost_m2": 10}),
    obs(floor_area={"lost_m2": 10, "total_m2": 0}),
    obs(remarks="x" * 2001),
    obs(meta=[]),
    [],
]
# Cross-field rules a JSON Schema cannot express: the schema accepts these, the validator does not.
VALIDATOR_ONLY = [
    obs(components={"roof": {"degrees": [{"degree": "I", "area_percent": 60},
                                         {"degree": "II", "area_percent": 50}]}}),
    obs(components={"roof": {"total_units": 5, "degrees": [{"degree": "I", "units": 6}]}}),
    obs(components={"roof": {"degrees": [{"degree": "I", "area_percent": 5},
                                         {"degree": "I", "area_percent": 5}]}}),
    obs(components={"foundation": {"damaged_length_m": 31, "perimeter_m": 30}}),
    obs(floor_area={"lost_m2": 81, "total_m2": 80}),
    obs(disaster_date="2024-02-30"),
]


@pytest.fixture(scope="module")
def messages():
    return Rulebook.load(FORMS).engine.messages


def schema_ok(data) -> bool:
    return SCHEMA.is_valid(data)


@pytest.mark.parametrize("data", VALID, ids=lambda d: json.dumps(d, ensure_ascii=False)[:60])
def test_both_accept(data, messages):
    assert schema_ok(data)
    assert check_observations(data, messages) == []


@pytest.mark.parametrize("data", INVALID, ids=lambda d: json.dumps(d, ensure_ascii=False)[:80])
def test_both_reject(data, messages):
    assert not schema_ok(data)
    assert check_observations(data, messages) != []


@pytest.mark.parametrize("data", VALIDATOR_ONLY, ids=lambda d: json.dumps(d, ensure_ascii=False)[:80])
def test_validator_adds_cross_field_checks(data, messages):
    assert schema_ok(data)
    assert check_observations(data, messages) != []
