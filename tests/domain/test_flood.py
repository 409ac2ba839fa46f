"""Flood depth tables (domain.md §2.3, oracle §7.5) and the version switch."""

from __future__ import annotations

import pytest

from tests.domain.helpers import survey

EXTERNAL = [
    (180, "全壊"), (179, "大規模半壊"), (100, "大規模半壊"), (99, "中規模半壊"), (50, "中規模半壊"),
    (49, "半壊"), (1, "半壊"),
]
INLAND = [(180, "大規模半壊"), (100, "中規模半壊"), (99, "半壊"), (10, "半壊"), (9, "準半壊")]


def flood(depth=None, *, external=True, below=False, date="2024-08-01", **more):
    section = {"external_force": external}
    if below:
        section["below_floor_only"] = True
    if depth is not None:
        section["depth_above_floor_cm"] = depth
    return survey(hazard="flood", disaster_date=date, flood=section, **more)


@pytest.mark.parametrize(("depth", "expected"), EXTERNAL)
def test_external_force_depths(book, depth, expected):
    j = book.judge(flood(depth))
    assert (j.grade, j.decided_by) == (expected, "flood_depth:external_force")
    assert j.damage_ratio_percent is None


@pytest.mark.parametrize(("depth", "expected"), INLAND)
def test_inland_depths_from_2024_05_31_never_total_collapse(book, depth, expected):
    assert book.judge(flood(depth, external=False)).grade == expected


def test_deepest_inland_flood_is_not_total_collapse(book):
    assert book.judge(flood(1999, external=False)).grade_code == "daikibo"


@pytest.mark.parametrize("external", [True, False])
def test_below_floor_only_is_partial_damage(book, external):
    assert book.judge(flood(below=True, external=external)).grade == "準半壊に至らない（一部損壊）"


def test_washed_away_is_total_collapse_and_ends_the_survey(book):
    j = book.judge(flood(20, appearance={"washed_away": True}))
    assert (j.grade, j.decided_by) == ("全壊", "appearance:washed_away")


def test_version_switch_70_cm_is_half_collapse_in_2018_and_medium_now(book):
    assert book.judge(flood(70, date="2019-07-01")).grade == "半壊"
    assert book.judge(flood(70, date="2019-07-01")).rules_version == "2018-03"
    assert book.judge(flood(70)).grade == "中規模半壊"
    assert book.judge(flood(70, rules_version="2018-03")).grade == "半壊"


def test_2018_below_floor_was_less_than_half_collapse(book):
    assert book.judge(flood(below=True, date="2019-07-01")).grade == "半壊に至らない"


def test_inland_depth_before_2024_is_rejected_with_a_reason(book):
    issues = book.validate(flood(30, external=False, date="2023-09-08"))
    assert [i.path for i in issues] == ["flood"]
    assert "外力が作用しない浸水" in issues[0].message and "2021-03" in issues[0].message


def test_second_survey_takes_the_more_severe_of_depth_and_components(book):
    walls = {"interior_wall": {"degrees": [{"degree": "V", "area_percent": 100}]},
             "fittings": {"degrees": [{"degree": "V", "area_percent": 100}]},
             "floors": {"degrees": [{"degree": "V", "area_percent": 100}]}}
    j = book.judge(flood(20, stage="second", components=walls))
    assert j.decided_by == "components" and j.grade == "中規模半壊"  # 15 + 10 + 10 = 35 points
    assert j.damage_ratio_percent == 35
    assert any("水害の木造第2次調査" in note for note in j.unconfirmed)
