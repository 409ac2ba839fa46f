"""Canonical JSON and content hashes: the same content gives the same hash on every machine,
which is what sync and the audit chain compare."""

from __future__ import annotations

import hashlib
import json

JUDGEMENT_KEYS = ("grade_code", "grade", "damage_ratio", "rules_version", "rules_hash")


# One encoder for the process: json.dumps with non-default options builds a new encoder on
# every call, which is most of the cost of a bulk import's canonical texts.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_PLAIN = json.JSONEncoder(ensure_ascii=False)


def canonical(payload: object) -> str:
    return _CANONICAL.encode(payload)


def plain_json(payload: object) -> str:
    """Readable JSON (non-ASCII kept) for stored text that is not hashed."""
    return _PLAIN.encode(payload)


def judged_tuple(judgement: dict) -> tuple:
    """The judgement values as hashed. The ratio is a float, as the REAL column gives it back:
    a 25 passed in and the 25.0 read later must hash alike."""
    values = [judgement.get(k) for k in JUDGEMENT_KEYS]
    ratio = JUDGEMENT_KEYS.index("damage_ratio")
    if isinstance(values[ratio], int):
        values[ratio] = float(values[ratio])
    return tuple(values)


def version_content_hash(observations_text: str, judged: tuple) -> str:
    """Hash of a version's canonical observations text and its judgement values.

    The judgement is joined with a unit separator rather than JSON-encoded: this runs once per
    version in bulk imports, and the format only has to be stable, not readable.
    """
    body = observations_text + "\n" + "\x1f".join(map(repr, judged))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
