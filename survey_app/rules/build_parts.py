"""Builders for the grade list, threshold scales and scoring section of a rule file."""

from __future__ import annotations

from typing import Any

from survey_app.domain.grades import Grade, GradeScale, Step, StepScale
from survey_app.domain.ruleset import Scoring
from survey_app.rules.errors import RulesError

DEGREE_CODES = ("0", "I", "II", "III", "IV", "V")


def note(obj: dict[str, Any]) -> str | None:
    """The unconfirmed note of a rule object, or None when the value is confirmed."""
    return obj.get("note") if obj.get("unconfirmed") else None


def grades_of(items: list[dict[str, Any]]) -> GradeScale:
    count = len(items)
    grades = [
        Grade(g["code"], g["label"], g.get("label_en", g["label"]), g["min_ratio_percent"],
              severity=count - 1 - i, note=note(g))
        for i, g in enumerate(items)
    ]
    try:
        return GradeScale(grades)
    except ValueError as err:
        raise RulesError(f"grades: {err}") from None


def steps_of(items: list[dict[str, Any]], key: str, grades: GradeScale) -> StepScale:
    steps = tuple(Step(b[key], grades.get(b["grade"]), note=note(b)) for b in items)
    try:
        return StepScale(steps)
    except ValueError as err:
        raise RulesError(f"{key} bands: {err}") from None


def scoring_of(obj: dict[str, Any], degrees: list[dict[str, Any]]) -> Scoring:
    codes = tuple(d["code"] for d in degrees)
    if codes != DEGREE_CODES:
        raise RulesError(f"damage_degrees must be listed as {', '.join(DEGREE_CODES)}")
    rates = tuple(d["rate_percent"] for d in degrees)
    if list(rates) != sorted(rates):
        raise RulesError("damage_degrees: 損傷率 must not fall with the degree")
    bins = tuple(obj["area_bins_percent"])
    if list(bins) != sorted(set(bins)) or bins[-1] != 100:
        raise RulesError("area_bins_percent must rise strictly and end at 100")
    return Scoring(
        method=obj["method"], bins=bins, rates=rates, degree_codes=codes,
        degree_labels=tuple(d["label"] for d in degrees),
        degree_labels_en=tuple(d.get("label_en", "") for d in degrees),
        confirmed_weights=frozenset(obj.get("confirmed_table_weights", ())),
        bin_note=note(obj.get("bin_upper_inclusive", {})),
        generated_note=note(obj.get("generated_tables", {})),
        length_note=note(obj.get("length_share_binning", {})),
        cap_note=note(obj.get("cap_at_weight", {})),
        upper_inclusive=obj.get("bin_upper_inclusive", {}).get("value", True),
        length_binned=obj.get("length_share_binning", {}).get("value", True),
        cap=obj.get("cap_at_weight", {}).get("value", True),
    )
