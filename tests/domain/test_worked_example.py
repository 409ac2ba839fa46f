"""The second-op21 first-survey example (domain.md §7.4) under both scoring methods."""

from __future__ import annotations

import pytest

from tests.domain.helpers import survey, variant

EXAMPLE = {
    "roof": {"degrees": [{"degree": "IV", "area_percent": 50}]},
    "exterior_wall": {"total_units": 20, "degrees": [{"degree": "III", "units": 4},
                                                     {"degree": "IV", "units": 8}]},
    "foundation": {"damaged_length_m": 7, "perimeter_m": 30},
}


def _continuous(version):
    def change(data):
        data["scoring"]["method"] = "continuous"
    return variant(version, change)


def test_continuous_total_is_37_96_and_medium_scale_half_collapse(book):
    rules = _continuous("2024-05")
    j = book.engine.judge(survey(components=EXAMPLE), rules)
    assert j.damage_ratio_percent == pytest.approx(5.625 + 30 + 70 / 30)  # 37.958…
    assert round(j.damage_ratio_percent, 2) == 37.96
    assert j.grade == "中規模半壊"  # not the source's wrongly added 47 % → 大規模半壊
    assert [round(c.continuous_percent, 2) for c in j.components] == [5.62, 30.0, 2.33]


def test_same_house_was_half_collapse_in_the_four_grade_era(book):
    j = book.engine.judge(survey(components=EXAMPLE), _continuous("2018-03"))
    assert j.grade == "半壊"


def test_binned_sheet_scores_higher_than_the_continuous_formula(book):
    j = book.judge(survey(components=EXAMPLE, rules_version="2024-05"))
    assert [c.points for c in j.components] == [7, 31, 4]
    assert j.damage_ratio_percent == 42 and j.grade == "大規模半壊"
    assert j.continuous_ratio_percent == pytest.approx(37.958, abs=0.001)
    assert any("37.96%" in line for line in j.explanation)


def test_old_first_survey_weights_10_80_10(book):
    j = book.judge(survey(components=EXAMPLE, disaster_date="2011-03-11"))
    assert j.rules_version == "2009-06"
    assert [c.weight for c in j.components] == [10, 80, 10]
    assert any("屋根10・外壁80・基礎10" in note for note in j.unconfirmed)
