"""Message templates the engine needs, injected by the caller (the domain reads no files).

survey_app.rules fills them from the `engine` area of the i18n catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

VALIDATION_KEYS = (
    "v_required", "v_unknown_key", "v_not_object", "v_not_array", "v_not_bool", "v_not_number",
    "v_not_finite", "v_not_string", "v_enum", "v_range", "v_range_open", "v_count", "v_date",
    "v_pattern", "v_too_long", "v_area_total", "v_units_total", "v_area_and_units",
    "v_duplicate_degree", "v_length_total",
    "v_lost_total", "v_depth_and_below", "v_component_shape", "v_no_components",
    "v_unknown_component", "v_no_component_set", "v_measure_area", "v_measure_length",
    "v_no_depth_table", "v_no_liquefaction", "v_hazard_section", "v_hazard_not_in_rules",
    "v_no_route",
)
EXPLANATION_KEYS = (
    "header", "shortcut", "incl_measure", "incl_shortcut", "incl_add", "incl_none",
    "component_area", "component_length", "component_row", "component_capped",
    "total_binned", "total_continuous", "ratio_added", "flood_depth", "flood_below",
    "floor_area", "liq_sinking", "liq_inclination", "liq_none", "liq_uneven", "decided",
    "local_band", "local_band_none", "flood_kind_external", "flood_kind_internal",
    "component_row_sep",
)
LABEL_KEYS = (
    "hazard_earthquake", "hazard_flood", "hazard_wind", "hazard_liquefaction",
    "stage_first", "stage_second", "stage_resurvey", "structure_wood", "structure_non_wood",
    "route_appearance", "route_inclination", "route_components", "route_flood_depth",
    "route_floor_area", "route_liquefaction",
)
# "rule_labels" says which text of the rule data this catalogue shows: "label" (the official
# Japanese) or "label_en" (the English translation, or the Japanese where a file has none).
MESSAGE_KEYS = VALIDATION_KEYS + EXPLANATION_KEYS + LABEL_KEYS + ("rule_labels",)
RULE_LABELS = ("label", "label_en")


class Named(Protocol):
    """A rule-data item the explanation names: a grade, component, short-cut, rule or table."""

    @property
    def label(self) -> str: ...

    @property
    def label_en(self) -> str: ...


class Label(NamedTuple):
    """A text of the rule data that is no item of its own (a rule set's title, a sinking level)."""

    label: str
    label_en: str = ""


class Messages:
    """Templates in one language; `text(key, **values)` formats one with str.format."""

    __slots__ = ("_t", "english")

    def __init__(self, templates: Mapping[str, str]) -> None:
        missing = [k for k in MESSAGE_KEYS if k not in templates]
        if missing:
            raise ValueError(f"engine message templates are missing: {', '.join(missing)}")
        if templates["rule_labels"] not in RULE_LABELS:
            raise ValueError(f"rule_labels must be one of {', '.join(RULE_LABELS)}")
        self._t = dict(templates)
        self.english = templates["rule_labels"] == "label_en"

    def text(self, key: str, **values: object) -> str:
        return self._t[key].format(**values)

    def label(self, kind: str, code: str) -> str:
        return self._t[f"{kind}_{code}"]

    def name(self, item: Named) -> str:
        """The item's label in this language; the official Japanese one when it has no English."""
        return (item.label_en or item.label) if self.english else item.label


def fmt(value: float) -> str:
    """A number for a surveyor: at most 2 decimals, halves up, no trailing zeros (5.625 → "5.63").

    The nudge makes exact binary halves (5.625) round up as on the paper sheet; format() alone
    rounds them to even. Values here are never negative.
    """
    if type(value) is int:
        return str(value)
    if value.is_integer():
        return str(int(value))
    return f"{value + 1e-9:.2f}".rstrip("0").rstrip(".")


def fmt_down(value: float) -> str:
    """Like fmt, but cut (not rounded) to 2 decimals so 29.996 never shows as "30" near a bound."""
    return fmt(int(value * 100 + 1e-9) / 100)


def ratio_text(ratio: float) -> str:
    """An inclination as surveyors write it: 0.05 → "1/20"."""
    return "0" if ratio <= 0 else f"1/{fmt(1 / ratio)}"
