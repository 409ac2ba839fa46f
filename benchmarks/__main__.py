"""Run benchmarks: `python -m benchmarks [NAME ...]` (NAME = bench_<NAME>.py, default all).

Each module defines `run() -> list[Figure]`. Exit status 1 if any figure misses its target.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _work_on_the_disk() -> None:
    """Every benchmark's files go to bench-out/tmp in the checkout (or SURVEY_BENCH_TMP), not to
    /tmp. /tmp is often a RAM disk, which no server keeps its data on; and on our development
    machines it is on the disk, where every program (the test suite too) keeps making and
    deleting files, and a new file near files deleted moments ago is slow there (fs_settle)."""
    work = Path(os.environ.get("SURVEY_BENCH_TMP") or REPO / "bench-out" / "tmp")
    work.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(work)


def main(argv: list[str]) -> int:
    _work_on_the_disk()
    here = Path(__file__).parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    failed = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"== {name}", flush=True)
        for fig in module.run():
            print(fig.line(), flush=True)
            failed += fig.ok is False
    print(f"{failed} figure(s) missed their target" if failed else "all figures met their targets")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
