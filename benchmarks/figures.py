"""A benchmark figure and how it is printed beside its target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        if self.target is None:
            verdict, goal = "info", ""
        else:
            verdict = "PASS" if self.ok else "FAIL"
            goal = f"{'>=' if self.higher_is_better else '<='} {self.target:g} {self.unit}"
        text = f"{verdict:4}  {self.name:<58} {self.value:>12.3f} {self.unit:<10} {goal}"
        return text + (f"  ({self.note})" if self.note else "")
