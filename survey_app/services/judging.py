"""Judge observations with the rule book and shape the result the way the store records it."""

from __future__ import annotations

from typing import Any


def judgement_record(judgement: Any) -> dict:
    """The store's judgement fields from an engine Judgement (or its to_dict())."""
    data = judgement if isinstance(judgement, dict) else judgement.to_dict()
    return {
        "grade_code": data["grade_code"],
        "grade": data["grade"],
        "damage_ratio": data.get("damage_ratio_percent"),
        "rules_version": data["rules_version"],
        "rules_hash": data["rules_hash"],
        "explanation": list(data.get("explanation", [])),
    }


def judge_record(rulebook: Any, observations: dict) -> dict:
    """Judge `observations` (rule version chosen by its disaster date) for the store."""
    return judgement_record(rulebook.judge(observations))
