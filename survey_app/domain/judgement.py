"""The result of judging one survey, with everything a surveyor needs to check it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from survey_app.domain.messages import Messages
from survey_app.domain.render import render


# DegreeRow and ComponentScore are named tuples: immutable, and cheap to build in bulk.
class DegreeRow(NamedTuple):
    """One line of a component's grid: a damage degree over a share of the component."""

    degree: str
    share_percent: float
    bin_percent: int
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "degree": self.degree,
            "share_percent": self.share_percent,
            "bin_percent": self.bin_percent,
            "points": self.points,
        }


class ComponentScore(NamedTuple):
    """A 部位: its 損傷率 (share of its value lost) and 損害割合 (binned points and continuous)."""

    code: str
    label: str
    weight: int
    measure: str
    damage_rate_percent: float
    points: int
    continuous_percent: float
    rows: tuple[DegreeRow, ...] = ()
    capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "weight": self.weight,
            "measure": self.measure,
            "damage_rate_percent": self.damage_rate_percent,
            "points": self.points,
            "continuous_percent": self.continuous_percent,
            "capped": self.capped,
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class Judgement:
    """One survey's result. `grade` is the official label, `grade_code` the stable code.

    `damage_ratio_percent` is the component 損害割合 (by the rule set's scoring method) whenever
    components were scored, even if another route decided; None otherwise (short-cuts, depth or
    floor-area tables only). `decided_by` names the deciding rule, e.g. "inclination:wood_1_20".

    `entries` are the explanation as data (message key, values); `explanation` renders them
    with `messages` on first access.
    """

    grade: str
    grade_code: str
    damage_ratio_percent: float | None
    continuous_ratio_percent: float | None
    scoring_method: str
    rules_version: str
    rules_hash: str
    decided_by: str
    hazard: str
    stage: str
    structure: str
    entries: tuple[tuple[str, dict[str, Any]], ...]
    messages: Messages = field(compare=False, repr=False)
    components: tuple[ComponentScore, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    local_band: dict[str, str] | None = None

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        """The lines a surveyor reads, e.g. "傾斜 木造・プレハブ 傾斜1/20以上 → 全壊（調査終了）"."""
        return render(self.entries, self.messages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "grade_code": self.grade_code,
            "damage_ratio_percent": self.damage_ratio_percent,
            "continuous_ratio_percent": self.continuous_ratio_percent,
            "scoring_method": self.scoring_method,
            "rules_version": self.rules_version,
            "rules_hash": self.rules_hash,
            "decided_by": self.decided_by,
            "hazard": self.hazard,
            "stage": self.stage,
            "structure": self.structure,
            "explanation": list(self.explanation),
            "components": [c.to_dict() for c in self.components],
            "unconfirmed": list(self.unconfirmed),
            "local_band": self.local_band,
        }
