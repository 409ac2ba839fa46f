"""Validation names the field path and the reason in plain Japanese (domain.md: bad input)."""

from __future__ import annotations

import math

import pytest

from survey_app.domain.observations import ObservationError
from tests.domain.helpers import grid, survey

ROOF = {"roof": grid(("II", 20))}


def issues_of(book, obs):
    return [(i.path, i.code) for i in book.validate(obs)]


@pytest.mark.parametrize(
    ("obs", "path", "code"),
    [
        (survey(inclination={"offsets_cm": [1, 2, 300, 4]}, components=ROOF),
         "inclination.offsets_cm[2]", "range"),
        (survey(inclination={"offsets_cm": [1, 2, 3]}, components=ROOF), "inclination.offsets_cm", "count"),
        (survey(inclination={"offsets_cm": [1, 2, "3", 4]}, components=ROOF),
         "inclination.offsets_cm[2]", "not_number"),
        (survey(inclination={"offsets_cm": [1, 2, math.nan, 4]}, components=ROOF),
         "inclination.offsets_cm[2]", "not_finite"),
        (survey(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": -100}),
         "flood.depth_above_floor_cm", "range_open"),
        (survey(hazard="flood", flood={"depth_above_floor_cm": 20}), "flood.external_force", "required"),
        (survey(components={"roof": grid(("III", 60), ("IV", 50))}), "components.roof.degrees", "area_total"),
        (survey(components={"chimney": grid(("I", 10))}), "components.chimney", "unknown_component"),
        (survey(components={"roof": grid(("VI", 10))}), "components.roof.degrees[0].degree", "enum"),
        (survey(components={"roof": grid(("I", 10), ("I", 20))}), "components.roof.degrees[1].degree",
         "duplicate_degree"),
        (survey(components={"foundation": {"damaged_length_m": 40, "perimeter_m": 30}}),
         "components.foundation.damaged_length_m", "length_total"),
        (survey(components={"foundation": grid(("I", 10))}), "components.foundation", "measure_length"),
        (survey(components={}), "components", "no_components"),
        (survey(floor_area={"lost_m2": 90, "total_m2": 80}), "floor_area.lost_m2", "lost_total"),
        (survey(disaster_date="2024-02-30", components=ROOF), "disaster_date", "date"),
        (survey(components=ROOF, colour="red"), "colour", "unknown_key"),
        (survey(appearance={"total_collapse": "yes"}, components=ROOF), "appearance.total_collapse",
         "not_bool"),
        (survey(liquefaction={"sinking": "floor"}, components=ROOF), "liquefaction", "hazard_section"),
        (survey(stage="first", structure="non_wood", components=ROOF), "components", "no_component_set"),
        (survey(components=ROOF, rules_version="1999-01"), "rules_version", "no_rules"),
        (survey(components=ROOF, disaster_date="2001-01-01"), "disaster_date", "no_rules"),
    ],
)
def test_bad_input_names_the_field(book, obs, path, code):
    assert (path, code) in issues_of(book, obs)


def test_missing_hazard(book):
    obs = survey(components=ROOF)
    del obs["hazard"]
    assert issues_of(book, obs) == [("hazard", "required")]


def test_messages_are_plain_japanese(book):
    issue = book.validate(survey(inclination={"offsets_cm": [1, 2, 300, 4]}, components=ROOF))[0]
    assert str(issue) == "inclination.offsets_cm[2]: 300cm は範囲外です（0〜60cm）"


def test_units_need_a_total_and_cannot_exceed_it(book):
    rows = {"degrees": [{"degree": "I", "units": 10}]}
    assert ("components.roof.degrees[0].units", "required") not in issues_of(book, survey(components={"roof": rows}))
    assert ("components.roof.degrees[0].area_percent", "required") in issues_of(
        book, survey(components={"roof": rows}))
    over = {"total_units": 8, "degrees": [{"degree": "I", "units": 10}]}
    assert ("components.roof.degrees", "units_total") in issues_of(book, survey(components={"roof": over}))


def test_every_issue_is_reported_not_just_the_first(book):
    obs = survey(inclination={"offsets_cm": [-1, 2, 300, 4], "plumb_cm": 0}, components=ROOF)
    paths = [p for p, _ in issues_of(book, obs)]
    assert paths == ["inclination.offsets_cm[0]", "inclination.offsets_cm[2]", "inclination.plumb_cm"]


def test_judge_raises_with_all_issues(book):
    with pytest.raises(ObservationError) as err:
        book.judge(survey(hazard="storm", components=ROOF))
    assert err.value.issues[0].path == "hazard"
    assert "storm" in str(err.value)


def test_not_a_json_object(book):
    assert issues_of(book, ["hazard"]) == [("", "not_object")]


def test_booleans_are_not_numbers(book):
    assert ("inclination.offsets_cm[0]", "not_number") in issues_of(
        book, survey(inclination={"offsets_cm": [True, 1, 1, 1]}, components=ROOF))
