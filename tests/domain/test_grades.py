"""Grade bands (domain.md §1.1, §1.2, oracle §7.1): lower bound inclusive, upper exclusive."""

from __future__ import annotations

import pytest

from tests.domain.helpers import survey

# §7.1 [S3][S13]
RATIO_ORACLE = [
    (50.0, "全壊"), (49.9, "大規模半壊"), (40.0, "大規模半壊"), (39.9, "中規模半壊"),
    (30.0, "中規模半壊"), (29.9, "半壊"), (20.0, "半壊"), (19.9, "準半壊"), (10.0, "準半壊"),
    (9.9, "準半壊に至らない（一部損壊）"), (0, "準半壊に至らない（一部損壊）"),
]


@pytest.mark.parametrize(("ratio", "expected"), RATIO_ORACLE)
def test_six_grades_follow_the_oracle(current, ratio, expected):
    assert current.grades.classify(ratio).label == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(50, "全壊"), (49.9, "大規模半壊"), (40, "大規模半壊"), (39.9, "半壊"), (20, "半壊"),
     (19.9, "半壊に至らない"), (0, "半壊に至らない")],
)
def test_four_grade_era_has_half_collapse_from_20_to_40(book, ratio, expected):
    assert book.get("2013-06").grades.classify(ratio).label == expected


def test_2020_rules_have_quasi_half_collapse_but_no_medium(book):
    codes = [g.code for g in book.get("2020-03").grades]
    assert codes == ["zenkai", "daikibo", "hankai", "junhankai", "ichibu"]


@pytest.mark.parametrize("version", ["2009-06", "2013-06", "2018-03", "2020-03", "2021-03",
                                     "2024-05", "2025-07"])
def test_every_band_starts_exactly_at_its_bound(book, version):
    grades = list(book.get(version).grades)
    for upper, lower in zip(grades, grades[1:], strict=False):
        assert book.get(version).grades.classify(upper.min_ratio).code == upper.code
        assert book.get(version).grades.classify(upper.min_ratio - 0.001).code == lower.code


@pytest.mark.parametrize(("lost", "expected"), [(70, "全壊"), (69.9, "大規模半壊"), (50, "大規模半壊")])
def test_floor_area_route_follows_the_oracle(book, lost, expected):
    j = book.judge(survey(floor_area={"lost_m2": lost, "total_m2": 100}))
    assert (j.grade, j.decided_by) == (expected, "floor_area")


def test_floor_area_bands_without_sources_are_flagged(book):
    j = book.judge(survey(floor_area={"lost_m2": 35, "total_m2": 100}))
    assert j.grade == "中規模半壊"
    assert any("中規模半壊（30%以上50%未満）" in note for note in j.unconfirmed)
