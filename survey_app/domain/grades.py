"""Damage grades (被害の程度) and threshold scales: the lower bound is inclusive (以上)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Stable ASCII codes stored by surveys and the sync protocol; labels come from the rule data.
GRADE_CODES = ("zenkai", "daikibo", "chukibo", "hankai", "junhankai", "ichibu", "hankai_miman")

# Measurements arrive as floats (0.1 + 0.2 style sums, 6/120 vs 1/20); a value within EPS of a
# bound counts as reaching it, so a band edge never depends on binary rounding noise.
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Grade:
    code: str
    label: str
    label_en: str
    min_ratio: float
    severity: int
    note: str | None = None


class GradeScale:
    """The grades of one rule set, most severe first; `classify` maps a 損害割合 to a grade."""

    __slots__ = ("_grades", "_by_code")

    def __init__(self, grades: Sequence[Grade]) -> None:
        if not grades or grades[-1].min_ratio != 0:
            raise ValueError("the least severe grade must start at 0 %")
        bounds = [g.min_ratio for g in grades]
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
            raise ValueError("grades must be listed most severe first with strictly falling bounds")
        self._grades = tuple(grades)
        self._by_code = {g.code: g for g in grades}

    def __iter__(self) -> Iterator[Grade]:
        return iter(self._grades)

    def __len__(self) -> int:
        return len(self._grades)

    @property
    def lowest(self) -> Grade:
        return self._grades[-1]

    def get(self, code: str) -> Grade:
        try:
            return self._by_code[code]
        except KeyError:
            raise ValueError(f"grade {code!r} is not part of this rule set") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def classify(self, ratio: float) -> Grade:
        for grade in self._grades:
            if ratio >= grade.min_ratio - EPS:
                return grade
        return self._grades[-1]


@dataclass(frozen=True, slots=True)
class Step:
    """One threshold of a scale: values >= minimum (and below the previous step) give `grade`."""

    minimum: float
    grade: Grade
    label: str = ""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class StepScale:
    """Thresholds listed from the highest minimum down; values under the last one match nothing."""

    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        minima = [s.minimum for s in self.steps]
        if minima != sorted(minima, reverse=True):
            raise ValueError("steps must be listed from the highest minimum down")

    def find(self, value: float) -> Step | None:
        for step in self.steps:
            if value >= step.minimum - EPS:
                return step
        return None
