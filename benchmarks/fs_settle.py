"""Wait until making a file where a benchmark's server will store photos costs what it
normally does.

Our development machines' disk is ext4 without a journal. There, for two or three minutes
after many files were deleted, the kernel skips each recently freed inode when it looks for a
free one (ext4 `recently_deleted()`), so a new file near them costs 0.2–0.9 ms of CPU instead
of ~0.02 ms (measured). A benchmark started soon after the previous run cleaned up its 60,000
files would measure that, not the server. A journaled file system (ext4's default, XFS) never
pays it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

NORMAL_S = 0.00006  # per new file: ~0.02 ms normally, up to ~0.9 ms just after a clean-up
PAUSE_S = 10.0
LIMIT_S = 420.0


def file_cost(folders: list[Path]) -> float:
    """CPU seconds per new file, one in each of `folders`. The probe files stay (deleting
    them would free inodes in the way of the next probe) and go with the benchmark's folder."""
    stamp = time.monotonic_ns()
    started = time.thread_time()
    for n, folder in enumerate(folders):
        name = folder / f".settle-probe-{stamp}-{n}"
        os.close(os.open(name, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    return (time.thread_time() - started) / len(folders)


def settle(folders: list[Path], say=print) -> float:  # noqa: ANN001 - a print-like callable
    """Block until a new file in `folders` is cheap (or LIMIT_S passed); the seconds waited."""
    started = time.monotonic()
    told = False
    while (cost := file_cost(folders)) > NORMAL_S and time.monotonic() - started < LIMIT_S:
        if not told:
            say(f"   (files were deleted on this disk moments ago: a new file costs "
                f"{cost * 1000:.2f} ms of CPU; waiting for the file system to settle)", flush=True)
            told = True
        time.sleep(PAUSE_S)
    return time.monotonic() - started


def fan_out(blob_dir: Path) -> list[Path]:
    """Every 8th of a server's 256 photo folders: where a burst's photos will be made."""
    return [blob_dir / f"{n:02x}" for n in range(0, 256, 8)]
