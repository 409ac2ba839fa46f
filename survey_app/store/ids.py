"""Identities made on the laptop: UUIDv7 text, so they sort by creation time and index well."""

from __future__ import annotations

import os
import random
import time

# A PRNG seeded from the OS, reseeded in forked children (which would otherwise repeat the
# parent's sequence): ids need uniqueness, not secrecy, and os.urandom per id was the largest
# cost of a bulk import.
_rng = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _rng.seed(os.urandom(32)))


def new_id() -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, variant 10, 74 random bits."""
    ms = time.time_ns() // 1_000_000
    rand = _rng.getrandbits(74)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (rand >> 62) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def now_iso() -> str:
    """UTC timestamp with milliseconds, e.g. 2024-01-01T09:00:00.123Z (for display and sorting)."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"
