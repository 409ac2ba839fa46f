"""Helpers for the engine tests: rule data from the real forms/ files and observation dicts."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from survey_app.rules import build_rule_set

FORMS = Path(__file__).resolve().parents[2] / "forms"


def rule_data(version: str) -> dict:
    return json.loads((FORMS / "rules" / f"{version}.json").read_text(encoding="utf-8"))


def variant(version: str, change):
    """A rule set built from a copy of one file after `change(data)` edited it."""
    data = copy.deepcopy(rule_data(version))
    change(data)
    return build_rule_set(data)


def survey(**fields) -> dict:
    """Observations with defaults for the required fields (wood, first survey, 2024-08-01)."""
    base = {"hazard": "earthquake", "stage": "first", "structure": "wood",
            "disaster_date": "2024-08-01"}
    base.update(fields)
    return base


def grid(*rows) -> dict:
    """A component's degree grid from (degree, area %) pairs."""
    return {"degrees": [{"degree": d, "area_percent": a} for d, a in rows]}
