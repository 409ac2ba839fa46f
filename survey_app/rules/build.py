"""Rule-file dict (already schema-valid) → domain RuleSet, with the checks a schema cannot do."""

from __future__ import annotations

from datetime import date
from typing import Any

from survey_app.domain.grades import GradeScale, Step, StepScale
from survey_app.domain.messages import Label
from survey_app.domain.ruleset import (
    ComponentDef,
    ComponentSet,
    DepthTable,
    InclinationRule,
    Liquefaction,
    RuleSet,
    Scope,
    Scoring,
    Shortcut,
)
from survey_app.domain.scoring import point_table
from survey_app.rules.build_parts import grades_of, note, scoring_of, steps_of
from survey_app.rules.canonical import content_hash, unconfirmed_notes
from survey_app.rules.errors import RulesError

ALL_STAGES = ("first", "second", "resurvey")
ALL_STRUCTURES = ("wood", "non_wood")


def scope(obj: dict[str, Any], hazards: tuple[str, ...] = ()) -> Scope:
    return Scope(
        hazards=frozenset(obj.get("hazards", hazards)),
        stages=frozenset(obj.get("stages", ALL_STAGES)),
        structures=frozenset(obj.get("structures", ALL_STRUCTURES)),
    )


def build_rule_set(data: dict[str, Any]) -> RuleSet:
    grades = grades_of(data["grades"])
    scoring = scoring_of(data["scoring"], data["damage_degrees"])
    incl = data["inclination"]
    return RuleSet(
        version=data["version"],
        data_revision=data["data_revision"],
        title=data["title"],
        effective_from=date.fromisoformat(data["effective"]["from"]),
        effective_note=note(data["effective"]),
        content_note=note(data.get("content", {})),
        hazards=frozenset(data["hazards"]),
        grades=grades,
        floor_area=steps_of(data["floor_area_grades"], "min_percent", grades),
        scoring=scoring,
        shortcuts=tuple(_shortcut(s, grades) for s in data["shortcuts"]),
        default_plumb_cm=incl["default_plumb_cm"],
        inclination_rules=tuple(_inclination_rule(r, grades) for r in incl["rules"]),
        component_sets=tuple(_component_set(s, scoring) for s in data["component_sets"]),
        depth_tables=tuple(_depth_table(t, grades) for t in data["flood_depth_tables"]),
        liquefaction=_liquefaction(data["liquefaction"], grades) if "liquefaction" in data else None,
        sha256=content_hash(data),
        unconfirmed_count=len(unconfirmed_notes(data)),
        sources=tuple(data.get("sources", ())),
        title_en=data.get("title_en", ""),
    )


def _shortcut(obj: dict[str, Any], grades: GradeScale) -> Shortcut:
    return Shortcut(obj["id"], obj["field"], obj["label"], obj.get("label_en", ""),
                    grades.get(obj["grade"]), frozenset(obj["hazards"]), note(obj))


def ratio_of(text: str) -> float:
    """"1/20" → 0.05 (the schema guarantees the shape)."""
    num, den = text.split("/")
    return int(num) / int(den)


def _inclination_rule(obj: dict[str, Any], grades: GradeScale) -> InclinationRule:
    grade = grades.get(obj["grade"]) if "grade" in obj else None
    if (grade is None) == ("add_ratio_percent" not in obj):
        raise RulesError(f"inclination rule {obj['id']}: give exactly one of grade / add_ratio_percent")
    below = obj.get("below_ratio")
    return InclinationRule(
        id=obj["id"], label=obj["label"], label_en=obj.get("label_en", ""), scope=scope(obj),
        min_ratio=ratio_of(obj["min_ratio"]),
        below_ratio=ratio_of(below) if below else None,
        min_settlement_cm=obj.get("min_settlement_cm"), grade=grade,
        add_ratio_percent=obj.get("add_ratio_percent"), note=note(obj),
    )


def _component_set(obj: dict[str, Any], scoring: Scoring) -> ComponentSet:
    comps = tuple(
        ComponentDef(c["code"], c["label"], c.get("label_en", c["label"]), c["weight"], c["measure"],
                     point_table(c["weight"], scoring.rates, scoring.bins), note(c))
        for c in obj["components"]
    )
    codes = [c.code for c in comps]
    if len(set(codes)) != len(codes):
        raise RulesError(f"component set {obj['id']}: duplicate component codes")
    total = sum(c.weight for c in comps)
    if total != 100:
        raise RulesError(f"component set {obj['id']}: weights sum to {total}, not 100")
    return ComponentSet(obj["id"], obj["label"], scope(obj), comps, note(obj))


def _depth_table(obj: dict[str, Any], grades: GradeScale) -> DepthTable:
    return DepthTable(
        id=obj["id"], label=obj["label"], label_en=obj.get("label_en", ""),
        external_force=obj["external_force"],
        scope=scope(obj, ("flood",)), steps=steps_of(obj["bands"], "min_cm", grades),
        below_floor=grades.get(obj["below_floor_grade"]), note=note(obj),
        measuring_note=note(obj.get("measuring_point", {})),
    )


def _liquefaction(obj: dict[str, Any], grades: GradeScale) -> Liquefaction:
    sinking = {s["level"]: (grades.get(s["grade"]), Label(s["label"], s.get("label_en", "")))
               for s in obj["sinking"]}
    steps = sorted(  # labelled with the bound as written ("1/20"); the template says 以上
        (Step(ratio_of(b["min_ratio"]), grades.get(b["grade"]), b["min_ratio"], note(b))
         for b in obj["inclination"]),
        key=lambda s: -s.minimum,
    )
    return Liquefaction(scope(obj, ("liquefaction",)), sinking, StepScale(tuple(steps)), note(obj))
