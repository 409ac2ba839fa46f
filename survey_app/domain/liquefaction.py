"""Ground damage from liquefaction (地盤被害): sinking into the ground and inclination bands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain.render import Ratio
from survey_app.domain.ruleset import RuleSet
from survey_app.domain.trace import Outcome, Trace


def assess(
    ground: Mapping[str, Any] | None, ratio: float | None, rules: RuleSet, t: Trace
) -> Outcome | None:
    """The more severe of the sinking and inclination findings; None when neither was recorded."""
    liq = rules.liquefaction
    ground = ground or {}
    sinking = ground.get("sinking")
    if liq is None or (sinking is None and ratio is None):
        return None
    t.flag(liq.note)
    found: list[Outcome] = []
    if sinking in liq.sinking:
        grade, label = liq.sinking[sinking]
        t.say("liq_sinking", label=label, grade=grade)
        found.append(Outcome(grade, "liquefaction:sinking", "liquefaction"))
    if ratio is not None and (step := liq.inclination.find(ratio)) is not None:
        t.flag(step.note)
        t.say("liq_inclination", ratio=Ratio(ratio), rule=step.label, grade=step.grade)
        found.append(Outcome(step.grade, "liquefaction:inclination", "liquefaction"))
    if "uneven_settlement_cm" in ground:
        t.say("liq_uneven", value=ground["uneven_settlement_cm"])
    if not found:
        t.say("liq_none", grade=rules.grades.lowest)
        return Outcome(rules.grades.lowest, "liquefaction", "liquefaction")
    return max(found, key=lambda o: o.grade.severity)
