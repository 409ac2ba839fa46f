"""One version of the judgement rules as immutable objects (built from forms/ by survey_app.rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from survey_app.domain.grades import EPS, Grade, GradeScale, StepScale
from survey_app.domain.messages import Label


@dataclass(frozen=True, slots=True)
class Scope:
    """Which surveys a rule applies to."""

    hazards: frozenset[str]
    stages: frozenset[str]
    structures: frozenset[str]

    def covers(self, hazard: str, stage: str, structure: str) -> bool:
        return hazard in self.hazards and stage in self.stages and structure in self.structures


@dataclass(frozen=True, slots=True)
class Shortcut:
    """An appearance finding that decides the grade at once and ends the survey (外観による判定)."""

    id: str
    field: str
    label: str
    label_en: str
    grade: Grade
    hazards: frozenset[str]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class InclinationRule:
    """A threshold on average offset / plumb length: either a grade (ends the survey) or an addition."""

    id: str
    label: str
    label_en: str
    scope: Scope
    min_ratio: float
    below_ratio: float | None = None
    min_settlement_cm: float | None = None
    grade: Grade | None = None
    add_ratio_percent: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ComponentDef:
    """A 部位 with its 構成比 (weight) and its precomputed point table [degree][area bin]."""

    code: str
    label: str
    label_en: str
    weight: int
    measure: str  # "area" (degrees × area share) or "length" (damaged length / perimeter)
    table: tuple[tuple[int, ...], ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ComponentSet:
    id: str
    label: str
    scope: Scope
    components: tuple[ComponentDef, ...]
    note: str | None = None
    by_code: dict[str, ComponentDef] = field(default_factory=dict, compare=False, repr=False)
    position: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_code.update({c.code: c for c in self.components})
        self.position.update({c.code: i for i, c in enumerate(self.components)})


@dataclass(frozen=True, slots=True)
class DepthTable:
    """Flood depth above floor → grade; `below_floor` is the grade for 床下浸水 only."""

    id: str
    label: str
    label_en: str
    external_force: bool
    scope: Scope
    steps: StepScale
    below_floor: Grade
    note: str | None = None
    measuring_note: str | None = None


@dataclass(frozen=True, slots=True)
class Liquefaction:
    """Ground damage (地盤被害): sinking levels and inclination bands, each giving a grade.

    The inclination steps are labelled with their bound as written in the file ("1/20").
    """

    scope: Scope
    sinking: dict[str, tuple[Grade, Label]]
    inclination: StepScale
    note: str | None = None


def bin_index(share_percent: float, bins: Sequence[int], upper_inclusive: bool = True) -> int:
    """The first bin holding the share; "〜10%" includes 10 % unless the rules say otherwise."""
    if upper_inclusive:
        for i, upper in enumerate(bins):
            if share_percent <= upper + EPS:
                return i
    else:
        for i, upper in enumerate(bins):
            if share_percent < upper - EPS:
                return i
    return len(bins) - 1


@dataclass(frozen=True, slots=True)
class Scoring:
    """How component damage turns into points: binned 調査票 tables or the continuous formula."""

    method: str  # "binned" | "continuous"
    bins: tuple[int, ...]
    rates: tuple[int, ...]  # 損傷率 % by degree index 0 (無被害) .. 5 (Ⅴ)
    degree_codes: tuple[str, ...]
    degree_labels: tuple[str, ...]
    confirmed_weights: frozenset[int]
    upper_inclusive: bool = True
    length_binned: bool = True
    cap: bool = True
    degree_labels_en: tuple[str, ...] = ()  # empty, or one per degree ("" shows the Japanese)
    degree_label_of: dict[str, Label] = field(default_factory=dict, compare=False, repr=False)
    inner_bounds: frozenset[float] = frozenset()  # bin bounds where the bin reading matters
    bin_of_whole: tuple[int, ...] = ()  # bin index for the whole percents 0..100 (most inputs)

    def __post_init__(self) -> None:
        english = self.degree_labels_en or ("",) * len(self.degree_labels)
        self.degree_label_of.update(
            (code, Label(ja, en))
            for code, ja, en in zip(self.degree_codes, self.degree_labels, english, strict=True)
        )
        object.__setattr__(self, "inner_bounds", frozenset(self.bins[:-1]))
        lookup = tuple(bin_index(p, self.bins, self.upper_inclusive) for p in range(101))
        object.__setattr__(self, "bin_of_whole", lookup)
    bin_note: str | None = None
    generated_note: str | None = None
    length_note: str | None = None
    cap_note: str | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    data_revision: int
    title: str
    effective_from: date
    effective_note: str | None
    content_note: str | None
    hazards: frozenset[str]
    grades: GradeScale
    floor_area: StepScale
    scoring: Scoring
    shortcuts: tuple[Shortcut, ...]
    default_plumb_cm: float
    inclination_rules: tuple[InclinationRule, ...]
    component_sets: tuple[ComponentSet, ...]
    depth_tables: tuple[DepthTable, ...]
    liquefaction: Liquefaction | None
    sha256: str
    unconfirmed_count: int
    sources: tuple[str, ...] = ()
    title_en: str = ""
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def component_set(self, hazard: str, stage: str, structure: str) -> ComponentSet | None:
        key = ("set", hazard, stage, structure)
        if key not in self._memo:
            found = [s for s in self.component_sets if s.scope.covers(hazard, stage, structure)]
            self._memo[key] = found[0] if found else None
        return self._memo[key]

    def inclination_rules_for(self, hazard: str, stage: str, structure: str) -> tuple[InclinationRule, ...]:
        key = ("incl", hazard, stage, structure)
        if key not in self._memo:
            self._memo[key] = tuple(
                r for r in self.inclination_rules if r.scope.covers(hazard, stage, structure)
            )
        return self._memo[key]

    def depth_table(self, external_force: bool, stage: str, structure: str) -> DepthTable | None:
        key = ("depth", external_force, stage, structure)
        if key not in self._memo:
            found = [
                t for t in self.depth_tables
                if t.external_force == external_force and t.scope.covers("flood", stage, structure)
            ]
            self._memo[key] = found[0] if found else None
        return self._memo[key]
