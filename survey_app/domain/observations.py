"""The observations format (one survey's findings) and its limits; see forms/README.md.

The same names and limits appear in forms/schema/observations.schema.json and in the survey
form definitions; tests check that the three agree.
"""

from __future__ import annotations

from dataclasses import dataclass

HAZARDS = ("earthquake", "flood", "wind", "liquefaction")
STAGES = ("first", "second", "resurvey")
STRUCTURES = ("wood", "non_wood")
SINKING_LEVELS = ("none", "foundation_25cm", "floor", "above_floor_1m")

# 0 = 無被害; "I".."V" = 損傷程度Ⅰ〜Ⅴ. Index into the rule set's 損傷率 list.
DEGREE_INDEX: dict[object, int] = {0: 0, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}

# Allowed keys per object, as ordered dicts: O(1) membership and a stable order for messages.
TOP_KEYS = dict.fromkeys((
    "hazard", "stage", "structure", "disaster_date", "rules_version", "appearance", "inclination",
    "flood", "components", "floor_area", "liquefaction", "remarks", "meta",
))
APPEARANCE_KEYS = dict.fromkeys(("total_collapse", "storey_collapse", "washed_away"))
INCLINATION_KEYS = dict.fromkeys(("offsets_cm", "plumb_cm", "max_settlement_cm"))
FLOOD_KEYS = dict.fromkeys(("external_force", "depth_above_floor_cm", "below_floor_only"))
COMPONENT_KEYS = dict.fromkeys(("degrees", "total_units", "damaged_length_m", "perimeter_m"))
DEGREE_ROW_KEYS = dict.fromkeys(("degree", "area_percent", "units"))
FLOOR_AREA_KEYS = dict.fromkeys(("lost_m2", "total_m2"))
LIQUEFACTION_KEYS = dict.fromkeys(("sinking", "uneven_settlement_cm"))
# Sections that only make sense for one hazard.
HAZARD_SECTIONS = {"flood": "flood", "liquefaction": "liquefaction"}

OFFSET_COUNT = 4
REMARKS_MAX_CHARS = 2000
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$"
CODE_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True, slots=True)
class Range:
    minimum: float
    maximum: float
    unit: str
    exclusive_min: bool = False

    def holds(self, value: float) -> bool:
        if self.exclusive_min and value <= self.minimum:
            return False
        return self.minimum <= value <= self.maximum


# Plausible field values, not rule thresholds: an offset over 60 cm on a plumb bob is a typo.
LIMITS = {
    "inclination.offsets_cm": Range(0, 60, "cm"),
    "inclination.plumb_cm": Range(50, 300, "cm"),
    "inclination.max_settlement_cm": Range(0, 500, "cm"),
    "flood.depth_above_floor_cm": Range(0, 2000, "cm", exclusive_min=True),
    "components.degrees.area_percent": Range(0, 100, "%"),
    "components.degrees.units": Range(0, 100000, ""),
    "components.total_units": Range(0, 100000, "", exclusive_min=True),
    "components.damaged_length_m": Range(0, 10000, "m"),
    "components.perimeter_m": Range(0, 10000, "m", exclusive_min=True),
    "floor_area.lost_m2": Range(0, 100000, "m²"),
    "floor_area.total_m2": Range(0, 100000, "m²", exclusive_min=True),
    "liquefaction.uneven_settlement_cm": Range(0, 500, "cm"),
}


@dataclass(frozen=True, slots=True)
class ObservationIssue:
    """One problem in the input: where (a JSON path like "inclination.offsets_cm[2]") and why."""

    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ObservationError(ValueError):
    """The observations cannot be judged; `issues` says where and why, in plain Japanese."""

    def __init__(self, issues: list[ObservationIssue]) -> None:
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = list(issues)
