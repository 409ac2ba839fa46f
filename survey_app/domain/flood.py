"""Flood depth (浸水深) judgement: depth above floor against the version's depth table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey_app.domain.ruleset import RuleSet
from survey_app.domain.trace import Outcome, Trace


def has_depth(flood: Mapping[str, Any]) -> bool:
    return "depth_above_floor_cm" in flood or flood.get("below_floor_only") is True


def assess(flood: Mapping[str, Any], rules: RuleSet, stage: str, structure: str, t: Trace) -> Outcome:
    """Requires a depth table for the survey (checked beforehand by check_against_rules)."""
    table = rules.depth_table(flood["external_force"], stage, structure)
    if table is None:
        raise ValueError("no depth table: run check_against_rules first")
    t.flag(table.note)
    t.flag(table.measuring_note)
    if flood.get("below_floor_only") is True:
        grade = table.below_floor
        t.say("flood_below", table=table, grade=grade)
    else:
        depth = flood["depth_above_floor_cm"]
        step = table.steps.find(depth)
        grade = step.grade if step else table.below_floor
        if step:
            t.flag(step.note)
        t.say("flood_depth", table=table, depth=depth, grade=grade)
    return Outcome(grade, f"flood_depth:{table.id}", "flood_depth")
