"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

PySide6 6.12.0 returns None from every void method (setText, start, processEvents…) and True
from Signal.emit() without taking a reference. Python 3.12+ does not care (None, True and False
are immortal there), but on 3.11 each such call lowers their count by one, and after a few
thousand calls Python aborts with "deallocating None" / "deallocating True or False" — a field
app would die mid-survey within the hour. (6.11.3 is not affected; see the lead's report.)

The guard gives the three singletons a count no program can spend, which is what Python 3.12
does for them itself. They are never deallocated in a healthy program anyway.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40
_applied: list[bool] = []


def needed() -> bool:
    import PySide6

    return sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) >= (6, 12)


def apply() -> bool:
    """Raise the counts once per process; True if the guard is (now) in place."""
    if _applied:
        return True
    if not needed():
        return False
    for singleton in (None, True, False):
        # CPython: ob_refcnt is the first field of every object, at the object's address.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    _applied.append(True)
    return True
