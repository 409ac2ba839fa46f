"""Survey form definitions: loadable, resolvable for every survey, same limits as the validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey_app.domain.observations import LIMITS
from survey_app.rules import Rulebook

FORMS = Path(__file__).resolve().parents[2] / "forms"
SCHEMA = json.loads((FORMS / "schema" / "observations.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return Rulebook.load(FORMS)


def surveys(book):
    for hazard, form in book.forms.hazards.items():
        for stage in form["stages"]:
            for structure in ("wood", "non_wood"):
                yield hazard, stage["stage"], structure


def number_fields(book):
    for section in book.forms.sections.values():
        for field in section["fields"]:
            if field["type"] == "number":
                yield field


def limit_key(path: str) -> str:
    return re.sub(r"\*\.|\[\]", "", path)


def test_every_hazard_has_a_form(book):
    assert sorted(book.forms.hazards) == ["earthquake", "flood", "liquefaction", "wind"]


def test_every_form_resolves_against_every_rule_version(book):
    for rules in book.rule_sets:
        for hazard, stage, structure in surveys(book):
            form = book.forms.resolve(hazard, stage, structure, rules)
            assert form["sections"] and form["rules_version"] == rules.version


def test_components_come_from_the_rule_set(book):
    form = book.form("earthquake", "first", "wood", version="2024-05")
    comps = next(s for s in form["sections"] if s["id"] == "components")["components"]
    assert [(c["code"], c["weight"]) for c in comps] == [("roof", 15), ("exterior_wall", 75), ("foundation", 10)]
    old = book.form("earthquake", "first", "wood", version="2009-06")
    comps = next(s for s in old["sections"] if s["id"] == "components")["components"]
    assert [c["weight"] for c in comps] == [10, 80, 10]


def test_sections_without_rules_are_left_out(book):
    form = book.form("earthquake", "first", "non_wood", version="2024-05")
    assert "components" not in [s["id"] for s in form["sections"]]


def test_fields_are_filtered_to_the_survey(book):
    def fields(structure, stage):
        form = book.form("earthquake", stage, structure, version="2024-05")
        section = next(s for s in form["sections"] if s["id"] == "inclination")
        return [f["path"] for f in section["fields"]]

    assert "inclination.max_settlement_cm" in fields("non_wood", "second")
    assert "inclination.max_settlement_cm" not in fields("wood", "second")


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_form_limits_equal_the_validator_limits(book, key):
    field = next(f for f in number_fields(book) if limit_key(f["path"]) == key)
    rng = LIMITS[key]
    assert (field["min"], field["max"], field.get("exclusive_min", False), field.get("unit", "")) == (
        rng.minimum, rng.maximum, rng.exclusive_min, rng.unit)


def schema_property(path: str) -> dict:
    parts = limit_key(path).split(".")
    if parts[0] == "components":
        defs = SCHEMA["$defs"]
        if parts[1] == "degrees":
            return defs["degree_row"]["properties"][parts[2]]
        owner = "length_component" if parts[1] in ("damaged_length_m", "perimeter_m") else "area_component"
        return defs[owner]["properties"][parts[1]]
    node = SCHEMA["properties"][parts[0]]["properties"][parts[1]]
    return node.get("items", node)


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_schema_limits_equal_the_validator_limits(key):
    prop = schema_property(key)
    rng = LIMITS[key]
    low = prop.get("exclusiveMinimum") if rng.exclusive_min else prop.get("minimum")
    assert (low, prop["maximum"]) == (rng.minimum, rng.maximum)


def test_every_form_field_points_into_the_observations_schema(book):
    for section in book.forms.sections.values():
        for field in section["fields"]:
            top = field["path"].split(".")[0]
            assert top in SCHEMA["properties"], field["path"]
