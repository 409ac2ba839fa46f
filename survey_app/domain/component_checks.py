"""Checks of the `components` section: degree grids (area or unit tallies) and foundation lengths."""

from __future__ import annotations

import re
from typing import Any

from survey_app.domain import observations as ob
from survey_app.domain.checker import Checker, show
from survey_app.domain.messages import fmt
from survey_app.domain.observations import LIMITS

_AREA = LIMITS["components.degrees.area_percent"]
_UNITS = LIMITS["components.degrees.units"]
_LENGTH_KEYS = ("damaged_length_m", "perimeter_m")
_CODE = re.compile(ob.CODE_PATTERN)


def check_components(c: Checker, path: str, value: Any) -> None:
    if type(value) is not dict:
        c.add(path, "not_object")
        return
    if not value:
        c.add(path, "no_components")
    for code, entry in value.items():
        where = f"{path}.{code}"
        if type(code) is not str or not _CODE.fullmatch(code):
            c.add(where, "pattern", value=show(code))
        elif c.obj(where, entry, ob.COMPONENT_KEYS):
            _check_component(c, where, entry)


def _check_component(c: Checker, path: str, entry: dict) -> None:
    has_degrees = "degrees" in entry
    has_length = "damaged_length_m" in entry or "perimeter_m" in entry
    if has_degrees == has_length:
        c.add(path, "component_shape")
    elif has_degrees:
        _check_degrees(c, path, entry)
    else:
        _check_length(c, path, entry)


def _check_degrees(c: Checker, path: str, entry: dict) -> None:
    has_total = "total_units" in entry
    total_units = entry.get("total_units")
    if has_total and not c.number(f"{path}.total_units", total_units, LIMITS["components.total_units"]):
        total_units = None
    rows = entry["degrees"]
    if type(rows) is not list:
        c.add(f"{path}.degrees", "not_array")
        return
    want, rng = ("units", _UNITS) if has_total else ("area_percent", _AREA)
    low, high, degrees = rng.minimum, rng.maximum, ob.DEGREE_INDEX
    seen: set = set()
    total = 0.0
    for i, row in enumerate(rows):
        # Fast path, inlined because it runs for every row of every survey: a plainly valid
        # {"degree": d, want: n}. Anything else (NaN fails the range test) gets the full check.
        if type(row) is dict and len(row) == 2:
            degree, share = row.get("degree"), row.get(want)
            kind = type(share)
            if (
                (type(degree) is str or type(degree) is int)
                and degree in degrees
                and degree not in seen
                and (kind is int or kind is float)
                and low <= share <= high
            ):
                seen.add(degree)
                total += share
                continue
        total += _slow_row(c, f"{path}.degrees[{i}]", row, seen, has_total)
    if not has_total and total > 100 + 1e-9:
        c.add(f"{path}.degrees", "area_total", total=fmt(total))
    if total_units is not None and total > total_units + 1e-9:
        c.add(f"{path}.degrees", "units_total", total_units=fmt(total_units), sum=fmt(total))


def _slow_row(c: Checker, path: str, row: Any, seen: set, has_total: bool) -> float:
    if not c.obj(path, row, ob.DEGREE_ROW_KEYS):
        return 0.0
    _check_degree(c, path, row, seen)
    _check_share_kind(c, path, row, has_total)
    key, rng = ("units", _UNITS) if has_total else ("area_percent", _AREA)
    if key in row and c.number(f"{path}.{key}", row[key], rng):
        return row[key]
    return 0.0


def _check_degree(c: Checker, path: str, row: dict, seen: set) -> None:
    if "degree" not in row:
        c.add(f"{path}.degree", "required")
        return
    degree = row["degree"]
    if c.enum(f"{path}.degree", degree, tuple(ob.DEGREE_INDEX)):
        if degree in seen:
            c.add(f"{path}.degree", "duplicate_degree", degree=degree)
        seen.add(degree)


def _check_share_kind(c: Checker, path: str, row: dict, has_total: bool) -> None:
    # A grid is tallied either in area percent or in units of a known total, never mixed.
    want, other = ("units", "area_percent") if has_total else ("area_percent", "units")
    if other in row:
        c.add(f"{path}.{other}", "area_and_units")
    if want not in row:
        c.add(f"{path}.{want}", "required")


def _check_length(c: Checker, path: str, entry: dict) -> None:
    ok = True
    for key in _LENGTH_KEYS:
        if key not in entry:
            c.add(f"{path}.{key}", "required")
            ok = False
        else:
            ok = c.number(f"{path}.{key}", entry[key], LIMITS[f"components.{key}"]) and ok
    if "total_units" in entry:
        c.add(f"{path}.total_units", "component_shape")
    if ok and entry["damaged_length_m"] > entry["perimeter_m"]:
        c.add(f"{path}.damaged_length_m", "length_total",
              damaged=fmt(entry["damaged_length_m"]), perimeter=fmt(entry["perimeter_m"]))
