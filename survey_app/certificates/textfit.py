"""Fitting Japanese text into a box: wrap at any character, shrink the size, never overflow.

Japanese has no spaces between words, so lines break between characters, with the usual rule
that a line does not start with closing punctuation (行頭禁則). A text that does not fit even at
the smallest size raises `TextDoesNotFit` instead of being cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics

NO_LINE_START = set("、。，．,.)）」』】〕〉》］}｝ー…‥・:：;；!！?？々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
NO_LINE_END = set("（(「『【〔〈《［｛")
LEADING = 1.25


class TextDoesNotFit(ValueError):
    """`text` cannot be shown in its box even at the smallest allowed size."""

    def __init__(self, field: str, length: int) -> None:
        super().__init__(field)
        self.field = field
        self.length = length


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


@cache
def _widths(font: str) -> tuple[dict[int, float], float]:
    face = pdfmetrics.getFont(font).face
    return face.charWidths, face.defaultWidth


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width` points at `size`; explicit newlines are kept."""
    widths, default = _widths(font)
    limit = width * 1000.0 / size
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start, used = 0, 0.0
        for i, ch in enumerate(paragraph):
            w = widths.get(ord(ch), default)
            if used + w > limit and i > start:
                cut = _break_at(paragraph, start, i)
                lines.append(paragraph[start:cut])
                start = cut
                used = sum(widths.get(ord(c), default) for c in paragraph[start:i])
            used += w
        lines.append(paragraph[start:])
    return lines


def _break_at(text: str, start: int, i: int) -> int:
    """Where to break before index `i`: carry up to 3 characters over so that no line starts
    with closing punctuation (行頭禁則) or ends with an opening bracket (行末禁則)."""
    cut = i
    while (cut - 1 > start and i - cut < 3
           and (text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END)):
        cut -= 1
    return cut


def fit(text: str, font: str, width: float, height: float, *, max_size: float,
        min_size: float, step: float = 0.5) -> Fitted | None:
    """The largest size (max_size down to min_size) at which the wrapped text fits the box."""
    size = max_size
    while size >= min_size - 1e-9:
        lines = wrap(text, font, size, width)
        if len(lines) * size * LEADING <= height:
            return Fitted(size, tuple(lines))
        size -= step
    return None


def fit_or_grow(text: str, font: str, width: float, height: float, spare: float, *,
                field: str, max_size: float, readable: float, min_size: float) -> Fitted:
    """Fit in `height` at a readable size if possible; else use up to `spare` more height and
    go down to `min_size`. Raises TextDoesNotFit when even that is not enough."""
    fitted = fit(text, font, width, height, max_size=max_size, min_size=readable)
    if fitted is None:
        fitted = fit(text, font, width, height + spare, max_size=readable, min_size=min_size)
    if fitted is None:
        raise TextDoesNotFit(field, len(text))
    return fitted
