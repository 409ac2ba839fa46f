"""Run benchmarks: `python -m benchmarks [NAME ...]` (NAME = bench_<NAME>.py, default all).

Each module defines `run() -> list[Figure]`. Exit status 1 if any figure misses its target.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
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
