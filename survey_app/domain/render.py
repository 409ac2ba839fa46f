"""Turning explanation entries (message key + raw values) into lines a surveyor reads.

The engine records entries while judging and renders them only when `Judgement.explanation`
is read: judging stays fast in bulk, and a stored judgement can be shown in either language.
Entries hold codes and the rule-data items themselves (grades, components, rules, tables, all
with `label` and `label_en`), never a label already chosen, so the language is picked here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from survey_app.domain.messages import Messages, fmt, fmt_down, ratio_text


class Cut(float):
    """A value shown cut (not rounded) to 2 decimals, because it is compared with a band bound."""

    __slots__ = ()


class Ratio(float):
    """An inclination, shown as "1/20"."""

    __slots__ = ()


Entry = tuple[str, dict[str, Any]]
_RAW = frozenset(("rows", "labels"))  # structured values rendered below, not as numbers
_CODED = {"header": ("hazard", "stage", "structure"), "decided": ("route",)}


def _value(value: Any, m: Messages) -> Any:
    kind = type(value)
    if kind is str or kind is int:
        return value
    if kind is float:
        return fmt(value)
    if kind is Cut:
        return fmt_down(value)
    if kind is Ratio:
        return ratio_text(value)
    if kind is list or kind is tuple:
        return ", ".join(fmt(v) for v in value)
    if hasattr(value, "label_en"):  # a rule-data item (messages.Named): named in m's language
        return m.name(value)
    return value


def render_entry(entry: Entry, m: Messages) -> str:
    key, values = entry
    shown = {k: _value(v, m) for k, v in values.items() if k not in _RAW}
    for kind in _CODED.get(key, ()):  # codes recorded while judging, labelled for display
        shown[kind] = m.label(kind, values[kind])
    if "rows" in values:  # a component's DegreeRows; values["labels"] maps degree code → item
        labels = values["labels"]
        shown["rows"] = m.text("component_row_sep").join(
            m.text("component_row", degree=m.name(labels[r.degree]), share=fmt(r.share_percent),
                   bin=r.bin_percent, points=r.points)
            for r in values["rows"]
        ) or "—"
    return m.text(key, **shown)


def render(entries: Iterable[Entry], m: Messages) -> tuple[str, ...]:
    return tuple(render_entry(e, m) for e in entries)
