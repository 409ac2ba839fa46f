"""Inclination (傾斜): the simple average of the four corner offsets over the plumb length."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain.grades import EPS
from survey_app.domain.render import Ratio
from survey_app.domain.ruleset import InclinationRule, RuleSet
from survey_app.domain.trace import Outcome, Trace


def measure(incl: Mapping[str, Any], default_plumb_cm: float) -> tuple[float, float, float]:
    """(average offset cm, plumb length cm, inclination as a fraction e.g. 0.05 for 1/20)."""
    offsets = incl["offsets_cm"]
    average = sum(offsets) / len(offsets)
    plumb = incl.get("plumb_cm", default_plumb_cm)
    return average, plumb, average / plumb


def _applies(rule: InclinationRule, ratio: float, settlement: float | None) -> bool:
    if ratio < rule.min_ratio - EPS:
        return False
    if rule.below_ratio is not None and ratio >= rule.below_ratio - EPS:
        return False
    if rule.min_settlement_cm is None:
        return True
    return settlement is not None and settlement >= rule.min_settlement_cm - EPS


def assess(
    incl: Mapping[str, Any], rules: RuleSet, survey: tuple[str, str, str], t: Trace
) -> tuple[Outcome | None, float, float]:
    """(a 全壊 short-cut or None, percent to add to the component total, the measured ratio)."""
    average, plumb, ratio = measure(incl, rules.default_plumb_cm)
    t.say("incl_measure", offsets=tuple(incl["offsets_cm"]), average=average, plumb=plumb,
          ratio=Ratio(ratio))
    settlement = incl.get("max_settlement_cm")
    hits = [r for r in rules.inclination_rules_for(*survey) if _applies(r, ratio, settlement)]
    for rule in hits:
        if rule.grade is not None:  # a grade ends the survey, whatever else matched
            t.flag(rule.note)
            t.say("incl_shortcut", rule=rule, grade=rule.grade)
            return Outcome(rule.grade, f"inclination:{rule.id}", "inclination"), 0.0, ratio
    for rule in hits:
        if rule.add_ratio_percent is not None:
            t.flag(rule.note)
            t.say("incl_add", rule=rule, percent=rule.add_ratio_percent)
            return None, rule.add_ratio_percent, ratio
    if survey[0] != "liquefaction":  # ground damage has its own inclination bands
        t.say("incl_none")
    return None, 0.0, ratio
