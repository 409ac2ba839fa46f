"""Checks that depend on the chosen rule set: which components, depth tables and hazards exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain.checker import Checker
from survey_app.domain.flood import has_depth
from survey_app.domain.messages import Messages
from survey_app.domain.observations import ObservationIssue
from survey_app.domain.ruleset import RuleSet


def check_against_rules(
    obs: Mapping[str, Any], rules: RuleSet, messages: Messages
) -> list[ObservationIssue]:
    """Run after check_observations found nothing: `obs` is known to be well-formed."""
    c = Checker(messages)
    hazard, stage, structure = obs["hazard"], obs["stage"], obs["structure"]
    survey = (hazard, stage, structure)
    if hazard not in rules.hazards:
        c.add("hazard", "hazard_not_in_rules", **_labels(messages, survey, rules))
    if obs.get("components"):
        _check_components(c, obs["components"], rules, survey)
    flood = obs.get("flood")
    if flood and has_depth(flood) and rules.depth_table(flood["external_force"], stage, structure) is None:
        kind = "external" if flood["external_force"] else "internal"
        c.add("flood", "no_depth_table", kind=messages.text(f"flood_kind_{kind}"),
              **_labels(messages, survey, rules))
    liq = rules.liquefaction
    if "liquefaction" in obs and (liq is None or not liq.scope.covers(*survey)):
        c.add("liquefaction", "no_liquefaction", **_labels(messages, survey, rules))
    return c.issues


def _labels(m: Messages, survey: tuple[str, str, str], rules: RuleSet) -> dict[str, str]:
    return {
        "hazard": m.label("hazard", survey[0]),
        "stage": m.label("stage", survey[1]),
        "structure": m.label("structure", survey[2]),
        "version": rules.version,
    }


def _check_components(c: Checker, observed: Mapping[str, Any], rules: RuleSet, survey: tuple) -> None:
    cset = rules.component_set(*survey)
    if cset is None:
        c.add("components", "no_component_set", **_labels(c.m, survey, rules))
        return
    for code, entry in observed.items():
        comp = cset.by_code.get(code)
        path = f"components.{code}"
        if comp is None:
            c.add(path, "unknown_component", allowed=", ".join(cset.by_code))
        elif comp.measure == "area" and "degrees" not in entry:
            c.add(path, "measure_area", label=c.m.name(comp))
        elif comp.measure == "length" and "degrees" in entry:
            c.add(path, "measure_length", label=c.m.name(comp))
