"""Wire constants and the small pieces both ends compute identically (docs/sync-protocol.md).

Kept free of the store and of HTTP so the server, the laptop engine and the tests share one
definition of a blob batch, an agreement digest and a merge version's id.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator

PROTOCOL_VERSION = 1

# Entities that travel in pushes and pulls, in the order a push sends them (parents first).
PUSH_KINDS = ("disaster", "building", "survey", "photo_link", "version", "status")
PULL_KINDS = ("disaster", "building", "survey", "version", "photo_link", "conflict")
# What the end-of-sync check compares.
SUMMARY_KINDS = ("buildings", "surveys", "versions", "links", "conflicts")

ROLES = ("surveyor", "office", "admin")
SURVEY_STATUSES = ("unsurveyed", "draft", "completed", "resurvey_requested")

MAX_PUSH_ITEMS = 500
MAX_JSON_BYTES = 4 << 20
MAX_BATCH_BYTES = 8 << 20
MAX_BATCH_FILES = 64
SMALL_BLOB = 512 << 10  # up to this size a photo travels in a batch, else in chunks
DEFAULT_CHUNK = 1 << 20
MAX_CHUNK = 8 << 20
MAX_SHAS_PER_QUERY = 1000
MAX_PAGE = 1000
MAX_REV = (1 << 63) - 1  # the largest revision either database stores (64-bit)

_SHA_RE = re.compile(r"[0-9a-f]{64}")
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A fixed namespace: the same two versions merge into the same id on every replay.
_MERGE_NS = uuid.UUID("5b0c7f3e-2a8d-4c55-9a61-0f7d3c2e9b14")


def is_sha(value: object) -> bool:
    return isinstance(value, str) and _SHA_RE.fullmatch(value) is not None


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID_RE.fullmatch(value) is not None


def merge_version_id(ours_id: str, theirs_id: str) -> str:
    """The id of the version that merges `theirs` into `ours`: derived, so a replayed push
    finds the merge it already made instead of making another."""
    return str(uuid.uuid5(_MERGE_NS, f"{ours_id}+{theirs_id}"))


def conflict_id(ours_id: str, theirs_id: str) -> str:
    return str(uuid.uuid5(_MERGE_NS, f"conflict:{ours_id}+{theirs_id}"))


def digest(lines: Iterable[str]) -> tuple[int, str]:
    """(count, sha256) of a set of lines, order-free: the agreement check compares these."""
    ordered = sorted(lines)
    h = hashlib.sha256()
    for line in ordered:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return len(ordered), h.hexdigest()


# -- blob batches: "<sha256> <size>\n" then exactly <size> bytes, repeated -----------------

def encode_batch(items: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    for sha, data in items:
        yield f"{sha} {len(data)}\n".encode("ascii")
        yield data


class BatchFormatError(ValueError):
    pass


def decode_batch(body: bytes, *, max_files: int = MAX_BATCH_FILES) -> list[tuple[str, bytes]]:
    """Split a batch body; raises BatchFormatError on any framing fault (then nothing is kept)."""
    out: list[tuple[str, bytes]] = []
    pos = 0
    view = memoryview(body)
    while pos < len(body):
        end = body.find(b"\n", pos, pos + 100)
        if end < 0:
            raise BatchFormatError("header line missing")
        parts = body[pos:end].split(b" ")
        if len(parts) != 2 or not parts[1].isdigit():
            raise BatchFormatError("bad header line")
        sha, size = parts[0].decode("ascii", "replace"), int(parts[1])
        if not is_sha(sha):
            raise BatchFormatError("bad sha in header")
        start = end + 1
        if start + size > len(body):
            raise BatchFormatError("body shorter than announced")
        out.append((sha, bytes(view[start:start + size])))
        if len(out) > max_files:
            raise BatchFormatError("too many files")
        pos = start + size
    return out


# -- buildings: the synced fields, with one type per field so both ends hash the same --------

BUILDING_FIELDS = ("address", "area", "owner_name", "owner_kana", "structure", "floors", "lat",
                   "lon", "location_source", "location_accuracy_m", "assigned_to")
_FLOAT_FIELDS = frozenset({"lat", "lon", "location_accuracy_m"})
_INT_FIELDS = frozenset({"floors"})
_TEXT_DEFAULTS = {"area": "", "owner_name": "", "owner_kana": "", "structure": "wood",
                  "assigned_to": ""}
# The legally relevant identity of a building (the applicant's home and name).
IDENTITY_FIELDS = ("address", "owner_name", "owner_kana")


def normalize_building_fields(fields: dict) -> dict:
    """Every synced field present, numbers as float/int, text as text; raises ValueError on an
    unknown field or a value of the wrong kind."""
    unknown = set(fields) - set(BUILDING_FIELDS)
    if unknown:
        raise ValueError(f"unknown building fields: {sorted(unknown)}")
    out: dict = {}
    for name in BUILDING_FIELDS:
        value = fields.get(name, _TEXT_DEFAULTS.get(name))
        if value is None or isinstance(value, bool):
            out[name] = None if value is None else _bad(name)
        elif name in _FLOAT_FIELDS:
            out[name] = float(value) if isinstance(value, int | float) else _bad(name)
        elif name in _INT_FIELDS:
            out[name] = int(value) if isinstance(value, int) else _bad(name)
        else:
            out[name] = value if isinstance(value, str) else _bad(name)
    return out


def _bad(name: str):
    raise ValueError(f"building field {name} has the wrong type")


def assigned_users(assigned_to: str | None) -> set[str]:
    """The user names in a building's assigned_to ("sato, suzuki" or "佐藤、鈴木")."""
    return set(re.split(r"[,、，\s]+", (assigned_to or "").strip())) - {""}
