"""Inclination from four plumb-bob offsets (domain.md §2.2, oracle §7.6)."""

from __future__ import annotations

import pytest

from survey_app.domain.observations import ObservationError
from tests.domain.helpers import grid, survey

ROOF = {"roof": grid(("II", 20))}


def incl(offsets, **more):
    return {"offsets_cm": offsets, **more}


def test_wood_six_cm_on_120_is_one_twentieth_and_total_collapse(book):
    j = book.judge(survey(inclination=incl([6.0, 6.0, 6.0, 6.0]), components=ROOF))
    assert (j.grade, j.decided_by) == ("全壊", "inclination:wood_1_20")
    assert j.damage_ratio_percent is None and j.components == ()
    assert any("1/20" in line and "調査終了" in line for line in j.explanation)


def test_wood_average_5_9_falls_through_to_components(book):
    j = book.judge(survey(inclination=incl([7.0, 5.0, 6.0, 5.6]), components=ROOF))
    assert j.decided_by == "components" and j.grade_code == "ichibu"


def test_non_wood_four_cm_is_one_thirtieth_and_total_collapse(book):
    j = book.judge(survey(stage="second", structure="non_wood", inclination=incl([4.0] * 4)))
    assert (j.grade, j.decided_by) == ("全壊", "inclination:non_wood_1_30")


def test_non_wood_two_cm_with_30_cm_settlement_is_total_collapse(book):
    j = book.judge(survey(stage="second", structure="non_wood",
                          inclination=incl([2.0] * 4, max_settlement_cm=30)))
    assert (j.grade, j.decided_by) == ("全壊", "inclination:non_wood_1_60_settlement")


def test_non_wood_two_cm_with_less_settlement_needs_other_findings(book):
    obs = survey(stage="second", structure="non_wood",
                 inclination=incl([2.0] * 4, max_settlement_cm=29))
    issues = book.validate(obs)
    assert [i.code for i in issues] == ["no_route"]
    assert "判定に使える入力がありません" in issues[0].message
    with pytest.raises(ObservationError, match="判定に使える入力がありません"):
        book.judge(obs)


def test_longer_plumb_scales_the_threshold(book):
    j = book.judge(survey(inclination=incl([10.0] * 4, plumb_cm=200), components=ROOF))
    assert j.grade == "全壊"  # 10 / 200 = 1/20
    j = book.judge(survey(inclination=incl([9.9] * 4, plumb_cm=200), components=ROOF))
    assert j.grade != "全壊"


def test_wood_second_survey_partial_inclination_adds_15_flagged(book):
    j = book.judge(survey(stage="second", inclination=incl([2.0] * 4), components=ROOF))
    assert j.damage_ratio_percent == 15 + 1  # 15 × 25% × 〜20% = 0.75 → 1 point
    assert any("15%を部位の結果に加算" in note for note in j.unconfirmed)
