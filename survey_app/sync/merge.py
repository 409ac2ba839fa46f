"""The per-field 3-way merge of two survey versions against the version both were based on.

A field changed on one side only is taken from that side; the same field changed on both sides
to different values is a conflict, for the office to resolve. Nothing is last-writer-wins.

Observations merge leaf by leaf (nested objects are walked; a list is one value, since its
items have no identity of their own; a field that became an object on one side and a value on
the other is one conflict). The judgement (grade, damage ratio, rules version and
hash, with its explanation) is one value: two different judgements never mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JUDGEMENT_PATH = "judgement"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldConflict:
    path: str
    base: Any
    ours: Any
    theirs: Any

    def to_dict(self) -> dict:
        def wire(v: Any) -> Any:
            return None if v is MISSING else v

        return {"path": self.path, "base": wire(self.base), "ours": wire(self.ours),
                "theirs": wire(self.theirs), "absent": [k for k, v in
                                                        (("base", self.base), ("ours", self.ours),
                                                         ("theirs", self.theirs))
                                                        if v is MISSING]}


@dataclass
class MergeResult:
    observations: dict
    judgement: dict
    explanation: list
    conflicts: list[FieldConflict] = field(default_factory=list)
    judgement_from: str = "ours"  # which side the judgement came from

    @property
    def clean(self) -> bool:
        return not self.conflicts


def flatten(doc: dict, prefix: tuple = ()) -> dict[tuple, Any]:
    """{path tuple: leaf value}; tuples, not dotted strings, so a key may contain a dot."""
    out: dict[tuple, Any] = {}
    for key, value in doc.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def unflatten(flat: dict[tuple, Any]) -> dict:
    out: dict = {}
    for path in sorted(flat):
        node = out
        *parents, leaf = path
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = flat[path]
    return out


def pick(base: Any, ours: Any, theirs: Any) -> tuple[bool, Any]:
    """(ok, value) for one field: ok is False when both sides changed it differently."""
    if ours == theirs:
        return True, ours
    if ours == base:
        return True, theirs
    if theirs == base:
        return True, ours
    return False, None


def merge_fields(base: dict, ours: dict, theirs: dict, prefix: str = ""
                 ) -> tuple[dict, list[FieldConflict]]:
    """3-way merge of flat {field: value} maps; a conflicting field keeps `ours` in the result.
    Keys are field names or path tuples (shown joined by dots)."""
    merged: dict = {}
    conflicts: list[FieldConflict] = []
    for key in sorted(set(base) | set(ours) | set(theirs)):
        b, o, t = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
        ok, value = pick(b, o, t)
        if not ok:
            name = ".".join(map(str, key)) if isinstance(key, tuple) else str(key)
            conflicts.append(FieldConflict(prefix + name, b, o, t))
            value = o
        if value is not MISSING:
            merged[key] = value
    return merged, conflicts


def merge_tree(base: Any, ours: Any, theirs: Any, path: tuple = ()
               ) -> tuple[Any, list[FieldConflict]]:
    """3-way merge of nested objects: objects changed on both sides are merged key by key; any
    other value changed differently on both sides (a number, a list, or an object on one side
    and a value on the other) is a conflict at that path, where the result keeps `ours`."""
    ok, value = pick(base, ours, theirs)
    if ok:
        return value, []
    if not (isinstance(ours, dict) and isinstance(theirs, dict)
            and (base is MISSING or isinstance(base, dict))):
        return ours, [FieldConflict(".".join(map(str, path)), base, ours, theirs)]
    below = base if isinstance(base, dict) else {}
    merged: dict = {}
    conflicts: list[FieldConflict] = []
    for key in sorted(set(below) | set(ours) | set(theirs), key=str):
        sub, found = merge_tree(below.get(key, MISSING), ours.get(key, MISSING),
                                theirs.get(key, MISSING), (*path, key))
        conflicts += found
        if sub is not MISSING:
            merged[key] = sub
    return merged, conflicts


def merge_versions(base: dict, ours: dict, theirs: dict) -> MergeResult:
    """Each argument: {"observations": dict, "judgement": dict, "explanation": list}."""
    obs, conflicts = merge_tree(base["observations"], ours["observations"],
                                theirs["observations"], ("observations",))
    ok, judged = pick(base["judgement"], ours["judgement"], theirs["judgement"])
    side = "ours"
    if not ok:
        conflicts.extend(_judgement_conflicts(base, ours, theirs))
        judged = ours["judgement"]
    elif judged == theirs["judgement"] and judged != ours["judgement"]:
        side = "theirs"
    explanation = (theirs if side == "theirs" else ours)["explanation"]
    return MergeResult(obs, dict(judged), list(explanation), conflicts, side)


def _judgement_conflicts(base: dict, ours: dict, theirs: dict) -> list[FieldConflict]:
    keys = sorted(set(ours["judgement"]) | set(theirs["judgement"]))
    return [FieldConflict(f"{JUDGEMENT_PATH}.{k}", base["judgement"].get(k, MISSING),
                          ours["judgement"].get(k, MISSING), theirs["judgement"].get(k, MISSING))
            for k in keys if ours["judgement"].get(k) != theirs["judgement"].get(k)]

