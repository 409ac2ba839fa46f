"""Canonical JSON and the content hash that identifies exactly which rules judged a survey."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(data: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8; "$schema" (an editor hint, not a rule) is left out."""
    body = {k: v for k, v in data.items() if k != "$schema"}
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
