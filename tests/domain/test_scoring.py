"""Point tables: ROUND_HALF_UP(weight × 損傷率 × area-bin upper bound) (domain.md §2.5, §7.2, §7.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from survey_app.domain.scoring import half_up, point_table
from tests.domain.helpers import survey

RATES = (0, 10, 25, 50, 75, 100)
BINS = (10, 20, 40, 60, 80, 100)

# The three tables printed in domain.md §2.5, copied from the dpto.jp sheet [S27].
PRINTED = {
    10: [[0] * 6, [0, 0, 0, 1, 1, 1], [0, 1, 1, 2, 2, 3], [1, 1, 2, 3, 4, 5],
         [1, 2, 3, 5, 6, 8], [1, 2, 4, 6, 8, 10]],
    50: [[0] * 6, [1, 1, 2, 3, 4, 5], [1, 3, 5, 8, 10, 13], [3, 5, 10, 15, 20, 25],
         [4, 8, 15, 23, 30, 38], [5, 10, 20, 30, 40, 50]],
    5: [[0] * 6, [0, 0, 0, 0, 0, 1], [0, 0, 1, 1, 1, 1], [0, 1, 1, 2, 2, 3],
        [0, 1, 2, 2, 3, 4], [1, 1, 2, 3, 4, 5]],
}
DEGREE = {"無被害": 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}

# §7.2 cells, with the value Python's round() would give instead.
CELLS = [
    (50, "I", 10, 1), (50, "IV", 60, 23), (50, "II", 100, 13), (10, "II", 20, 1),
    (10, "IV", 60, 5), (10, "III", 10, 1), (5, "IV", 100, 4), (5, "I", 80, 0),
    (50, "無被害", 100, 0), (10, "無被害", 40, 0),
]


@pytest.mark.parametrize("weight", sorted(PRINTED))
def test_generated_tables_equal_the_printed_sheet(weight):
    assert [list(row) for row in point_table(weight, RATES, BINS)] == PRINTED[weight]


@pytest.mark.parametrize(("weight", "degree", "upper", "points"), CELLS)
def test_oracle_cells(weight, degree, upper, points):
    assert point_table(weight, RATES, BINS)[DEGREE[degree]][BINS.index(upper)] == points


@pytest.mark.parametrize(("value", "up", "banker"), [("0.5", 1, 0), ("4.5", 5, 4), ("12.5", 13, 12),
                                                      ("22.5", 23, 22), ("2.5", 3, 2)])
def test_half_up_is_not_python_round(value, up, banker):
    # Regression guard: round() rounds half to even and would break the official tables.
    assert half_up(Decimal(value)) == up
    assert round(float(value)) == banker


def test_rule_set_tables_are_precomputed_per_component(current):
    cset = current.component_set("earthquake", "second", "non_wood")
    columns = cset.by_code["columns_walls"]
    assert columns.weight == 50
    assert [list(r) for r in columns.table] == PRINTED[50]


def test_weight_75_is_binned_by_the_same_rule_and_flagged(book):
    # 外壁 20% at Ⅲ + 40% at Ⅳ: 75×0.5×0.2 = 7.5 → 8 and 75×0.75×0.4 = 22.5 → 23 (domain.md §2.5)
    j = book.judge(survey(components={"exterior_wall": {"degrees": [
        {"degree": "III", "area_percent": 20}, {"degree": "IV", "area_percent": 40}]}}))
    wall = j.components[0]
    assert [r.points for r in wall.rows] == [8, 23]
    assert wall.points == 31 and wall.continuous_percent == pytest.approx(30.0)
    assert any("15・75" in note for note in j.unconfirmed)


def test_tokoha_roof_tally_gives_damage_rate_14(book):
    # §7.3 [S35c]: 85 squares; Ⅰ 10, Ⅲ 10, Ⅳ 8 → (10×10 + 10×50 + 8×75) / 85 = 14.1 %
    roof = {"total_units": 85, "degrees": [{"degree": "I", "units": 10},
                                           {"degree": "III", "units": 10},
                                           {"degree": "IV", "units": 8}]}
    j = book.judge(survey(components={"roof": roof}))
    assert half_up(Decimal(str(j.components[0].damage_rate_percent))) == 14
    assert j.components[0].damage_rate_percent == pytest.approx(1200 / 85)


@pytest.mark.parametrize(
    ("code", "rows", "low", "high"),
    [
        ("exterior_wall", [("II", 100)], 2, 3),   # 目安 2–3 %: 10 × 25% × 100% = 2.5
        ("exterior_wall", [("I", 50)], 0, 1),     # 目安 < 1 %: 0.5
        ("interior_wall", [("III", 25)], 1, 2),   # 目安 1–2 %: 1.875 with weight 15
    ],
)
def test_second_survey_plausibility_guides(book, code, rows, low, high):
    # §7.7 [S41]: the continuous 損害割合 falls inside the municipal guide values.
    comp = {"degrees": [{"degree": d, "area_percent": a} for d, a in rows]}
    j = book.judge(survey(stage="second", components={code: comp}))
    assert low <= j.components[0].continuous_percent <= high


def test_points_over_the_weight_are_capped_and_flagged(book):
    # 50% at Ⅴ and 50% at Ⅳ on weight 10, both binned up to 〜60%: 6 + 5 = 11 > 10.
    j = book.judge(survey(stage="second", components={"exterior_wall": {"degrees": [
        {"degree": "V", "area_percent": 50}, {"degree": "IV", "area_percent": 50}]}}))
    wall = j.components[0]
    assert wall.capped and wall.points == 10
    assert any("頭打ち" in note for note in j.unconfirmed)
