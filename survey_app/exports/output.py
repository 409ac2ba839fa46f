"""What every export shares: the progress callback and an output file that appears only when
complete (a crash or a full disk mid-export never leaves a truncated file that looks finished)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

# progress(done, total): called from the exporting thread; the UI adapts it to its progress bar.
Progress = Callable[[int, int], None]


class Ticker:
    """Reports progress every `every` rows and once at the end, so 200,000 rows cost ~200 calls."""

    def __init__(self, total: int, progress: Progress | None, every: int = 1000) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._every = every
        self._next = every
        if progress:
            progress(0, total)

    def tick(self) -> None:
        self.done += 1
        if self.done >= self._next:
            self._next += self._every
            if self._progress:
                self._progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        if self._progress:
            self._progress(self.done, max(self.total, self.done))


@contextlib.contextmanager
def atomic_path(out: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `out`; rename it onto `out` only if the block succeeds."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
