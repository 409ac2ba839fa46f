"""What a judgement is building up: explanation lines, unconfirmed notes, and route outcomes."""

from __future__ import annotations

from typing import NamedTuple

from survey_app.domain.grades import Grade
from survey_app.domain.judgement import ComponentScore
from survey_app.domain.messages import Messages


class Outcome(NamedTuple):
    """The grade one route (外観, 傾斜, 部位, 浸水深, 床面積, 地盤) arrived at."""

    grade: Grade
    decided_by: str
    route: str
    ratio: float | None = None
    continuous: float | None = None
    components: tuple[ComponentScore, ...] = ()


class Trace:
    __slots__ = ("m", "lines", "flags")

    def __init__(self, messages: Messages) -> None:
        self.m = messages
        self.lines: list[tuple[str, dict]] = []  # explanation entries, rendered on demand
        self.flags: dict[str, None] = {}  # an ordered set of the unconfirmed notes used

    def say(self, key: str, **values: object) -> None:
        self.lines.append((key, values))

    def flag(self, note: str | None) -> None:
        """Records an unconfirmed note (None, a confirmed rule, is ignored)."""
        if note is not None:
            self.flags[note] = None
