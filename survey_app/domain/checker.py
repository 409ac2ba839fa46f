"""The issue collector shared by the observation checks."""

from __future__ import annotations

import math
from typing import Any

from survey_app.domain.messages import Messages, fmt
from survey_app.domain.observations import ObservationIssue, Range


class Checker:
    """Collects issues; each helper returns whether the value had the right type."""

    __slots__ = ("m", "issues")

    def __init__(self, messages: Messages) -> None:
        self.m = messages
        self.issues: list[ObservationIssue] = []

    def add(self, path: str, code: str, **values: object) -> None:
        self.issues.append(ObservationIssue(path, code, self.m.text("v_" + code, **values)))

    def obj(self, path: str, value: Any, allowed: dict[str, None]) -> bool:
        if type(value) is not dict:
            self.add(path, "not_object")
            return False
        for key in value:
            if key not in allowed:
                self.add(join(path, key), "unknown_key", allowed=", ".join(allowed))
        return True

    def boolean(self, path: str, value: Any) -> None:
        if type(value) is not bool:
            self.add(path, "not_bool")

    def number(self, path: str, value: Any, rng: Range) -> bool:
        kind = type(value)
        if kind is not int and kind is not float:
            self.add(path, "not_number")
            return False
        if not math.isfinite(value):
            self.add(path, "not_finite")
            return False
        if not rng.holds(value):
            key = "range_open" if rng.exclusive_min else "range"
            self.add(path, key, value=fmt(value), min=fmt(rng.minimum), max=fmt(rng.maximum),
                     unit=rng.unit)
            return False
        return True

    def enum(self, path: str, value: Any, allowed: tuple) -> bool:
        if type(value) is bool or value not in allowed:
            self.add(path, "enum", value=show(value), allowed=", ".join(map(str, allowed)))
            return False
        return True


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:37] + "..."
