"""Hand-written validation of the observations format (fast: it runs on every judgement).

`check_observations` mirrors forms/schema/observations.schema.json and adds the cross-field
checks a schema cannot express (area shares summing over 100 %, damaged length over perimeter).
`check_against_rules` then checks what depends on the chosen rule set (which components exist).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from survey_app.domain import observations as ob
from survey_app.domain.checker import Checker, show
from survey_app.domain.component_checks import check_components
from survey_app.domain.messages import Messages, fmt
from survey_app.domain.observations import LIMITS, ObservationIssue

_DATE = re.compile(ob.DATE_PATTERN)
_VERSION = re.compile(ob.VERSION_PATTERN)
_ENUMS = (("hazard", ob.HAZARDS), ("stage", ob.STAGES), ("structure", ob.STRUCTURES))


def check_observations(obs: Any, messages: Messages) -> list[ObservationIssue]:
    """Every problem with the shape and values of `obs` (empty list: well-formed)."""
    c = Checker(messages)
    if not c.obj("", obs, ob.TOP_KEYS):
        return c.issues
    for key, allowed in _ENUMS:
        if key not in obs:
            c.add(key, "required")
        else:
            c.enum(key, obs[key], allowed)
    _check_date(c, obs)
    if "rules_version" in obs:
        _check_pattern(c, "rules_version", obs["rules_version"], _VERSION)
    hazard = obs.get("hazard")
    for section, only_for in ob.HAZARD_SECTIONS.items():
        if section in obs and hazard in ob.HAZARDS and hazard != only_for:
            c.add(section, "hazard_section", hazard=messages.label("hazard", only_for))
    for key, check in _SECTIONS:
        if key in obs:
            check(c, key, obs[key])
    return c.issues


def _check_date(c: Checker, obs: dict) -> None:
    if "disaster_date" not in obs:
        c.add("disaster_date", "required")
        return
    value = obs["disaster_date"]
    if type(value) is not str:
        c.add("disaster_date", "not_string")
        return
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        c.add("disaster_date", "date", value=show(value))


def _check_pattern(c: Checker, path: str, value: Any, pattern: re.Pattern) -> None:
    if type(value) is not str:
        c.add(path, "not_string")
    elif not pattern.fullmatch(value):
        c.add(path, "pattern", value=show(value))


def _appearance(c: Checker, path: str, value: Any) -> None:
    if c.obj(path, value, ob.APPEARANCE_KEYS):
        for key, flag in value.items():
            if key in ob.APPEARANCE_KEYS:
                c.boolean(f"{path}.{key}", flag)


def _inclination(c: Checker, path: str, value: Any) -> None:
    if not c.obj(path, value, ob.INCLINATION_KEYS):
        return
    offsets = value.get("offsets_cm")
    if offsets is None:
        c.add(f"{path}.offsets_cm", "required")
    elif type(offsets) is not list:
        c.add(f"{path}.offsets_cm", "not_array")
    elif len(offsets) != ob.OFFSET_COUNT:
        c.add(f"{path}.offsets_cm", "count", expected=ob.OFFSET_COUNT, actual=len(offsets))
    else:
        rng = LIMITS["inclination.offsets_cm"]
        for i, offset in enumerate(offsets):
            c.number(f"{path}.offsets_cm[{i}]", offset, rng)
    for key in ("plumb_cm", "max_settlement_cm"):
        if key in value:
            c.number(f"{path}.{key}", value[key], LIMITS[f"inclination.{key}"])


def _flood(c: Checker, path: str, value: Any) -> None:
    if not c.obj(path, value, ob.FLOOD_KEYS):
        return
    if "external_force" not in value:
        c.add(f"{path}.external_force", "required")
    else:
        c.boolean(f"{path}.external_force", value["external_force"])
    if "below_floor_only" in value:
        c.boolean(f"{path}.below_floor_only", value["below_floor_only"])
    if "depth_above_floor_cm" in value:
        c.number(f"{path}.depth_above_floor_cm", value["depth_above_floor_cm"],
                 LIMITS["flood.depth_above_floor_cm"])
        if value.get("below_floor_only") is True:
            c.add(f"{path}.depth_above_floor_cm", "depth_and_below")


def _floor_area(c: Checker, path: str, value: Any) -> None:
    if not c.obj(path, value, ob.FLOOR_AREA_KEYS):
        return
    ok = True
    for key in ob.FLOOR_AREA_KEYS:
        if key not in value:
            c.add(f"{path}.{key}", "required")
            ok = False
        else:
            ok = c.number(f"{path}.{key}", value[key], LIMITS[f"floor_area.{key}"]) and ok
    if ok and value["lost_m2"] > value["total_m2"]:
        c.add(f"{path}.lost_m2", "lost_total", lost=fmt(value["lost_m2"]), total=fmt(value["total_m2"]))


def _liquefaction(c: Checker, path: str, value: Any) -> None:
    if not c.obj(path, value, ob.LIQUEFACTION_KEYS):
        return
    if "sinking" in value:
        c.enum(f"{path}.sinking", value["sinking"], ob.SINKING_LEVELS)
    if "uneven_settlement_cm" in value:
        c.number(f"{path}.uneven_settlement_cm", value["uneven_settlement_cm"],
                 LIMITS["liquefaction.uneven_settlement_cm"])


def _remarks(c: Checker, path: str, value: Any) -> None:
    if type(value) is not str:
        c.add(path, "not_string")
    elif len(value) > ob.REMARKS_MAX_CHARS:
        c.add(path, "too_long", max=ob.REMARKS_MAX_CHARS)


def _meta(c: Checker, path: str, value: Any) -> None:
    if type(value) is not dict:
        c.add(path, "not_object")


_SECTIONS = (
    ("appearance", _appearance),
    ("inclination", _inclination),
    ("flood", _flood),
    ("components", check_components),
    ("floor_area", _floor_area),
    ("liquefaction", _liquefaction),
    ("remarks", _remarks),
    ("meta", _meta),
)
