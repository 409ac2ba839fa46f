"""Canonical JSON and the content hash that identifies exactly which rules judged a survey.

The hash covers what the rules say, not how they are shown: "$schema" (an editor hint) and the
English display texts (`label_en`, `title_en`, at any depth) are left out, so adding or fixing a
translation never changes the `rules_hash` recorded by surveys judged with that file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

DISPLAY_ONLY = frozenset(("label_en", "title_en"))


def _without_display(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_display(v) for k, v in value.items() if k not in DISPLAY_ONLY}
    if isinstance(value, list):
        return [_without_display(v) for v in value]
    return value


def canonical_json(data: dict[str, Any]) -> bytes:
    """The hashed text: sorted keys, no whitespace, UTF-8, without "$schema" and display texts."""
    body = _without_display({k: v for k, v in data.items() if k != "$schema"})
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def unconfirmed_notes(data: Any) -> list[str]:
    """The note of every object flagged `"unconfirmed": true`, in file order."""
    found: list[str] = []
    if isinstance(data, dict):
        if data.get("unconfirmed") is True:
            found.append(str(data.get("note", "")))
        for value in data.values():
            found.extend(unconfirmed_notes(value))
    elif isinstance(data, list):
        for value in data:
            found.extend(unconfirmed_notes(value))
    return found
