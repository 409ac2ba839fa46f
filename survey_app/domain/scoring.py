"""Component scoring: the 調査票 point tables (ROUND_HALF_UP) and the continuous formula.

points = ROUND_HALF_UP(weight × 損傷率 × upper bound of the area bin); this generating rule
reproduces every printed cell of the weight-5, -10 and -50 tables (domain.md §2.5, §7.2).
Python's round() rounds half to even (round(0.5) == 0) and must never be used here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from survey_app.domain.judgement import ComponentScore, DegreeRow
from survey_app.domain.observations import DEGREE_INDEX
from survey_app.domain.ruleset import ComponentDef, Scoring, bin_index

_ONE = Decimal(1)


def half_up(value: Decimal) -> int:
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def point_table(weight: int, rates: Sequence[int], bins: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    """Points for each degree (rows, by 損傷率 %) and area bin (columns, upper bound %)."""
    w = Decimal(weight)
    return tuple(
        tuple(half_up(w * Decimal(rate) * Decimal(upper) / 10000) for upper in bins) for rate in rates
    )


def score_area(
    comp: ComponentDef, entry: Mapping[str, Any], scoring: Scoring
) -> tuple[ComponentScore, bool]:
    """Degrees × area shares → 損傷率 Σ(rate × share) and points Σ(table cell) per degree row.

    Also says whether a share sat exactly on a bin bound (where the bin reading matters).
    """
    total_units = entry.get("total_units")
    rates, table, codes = scoring.rates, comp.table, scoring.degree_codes
    inner, whole = scoring.inner_bounds, scoring.bin_of_whole
    rate_sum = 0.0
    points = 0
    rows = []
    on_bound = False
    for row in entry["degrees"]:
        idx = DEGREE_INDEX[row["degree"]]
        share = row["area_percent"] if total_units is None else row["units"] * 100 / total_units
        if type(share) is int:  # most inputs are whole percents: a lookup instead of a search
            b = whole[share]
        else:
            b = bin_index(share, scoring.bins, scoring.upper_inclusive)
        on_bound = on_bound or share in inner
        cell = table[idx][b] if share > 0 else 0
        points += cell
        rate_sum += rates[idx] * share
        rows.append(DegreeRow(codes[idx], share, scoring.bins[b], cell))
    return _score(comp, rate_sum / 100, points, tuple(rows), scoring.cap), on_bound


def score_length(
    comp: ComponentDef, entry: Mapping[str, Any], scoring: Scoring
) -> tuple[ComponentScore, bool]:
    """Foundations: the damaged share of the perimeter counts in full (as degree Ⅴ)."""
    share = entry["damaged_length_m"] * 100 / entry["perimeter_m"]
    b = bin_index(share, scoring.bins, scoring.upper_inclusive)
    if share <= 0:
        cell = 0
    elif scoring.length_binned:
        cell = comp.table[-1][b]
    else:
        cell = half_up(Decimal(repr(comp.weight * share / 100)))
    row = DegreeRow(scoring.degree_codes[-1], share, scoring.bins[b], cell)
    return _score(comp, share, cell, (row,), scoring.cap), share in scoring.inner_bounds


def _score(comp: ComponentDef, rate: float, points: int, rows: tuple, cap: bool) -> ComponentScore:
    capped = cap and points > comp.weight
    return ComponentScore(comp.code, comp.label, comp.weight, comp.measure, rate,
                          comp.weight if capped else points, rate * comp.weight / 100, rows, capped)
