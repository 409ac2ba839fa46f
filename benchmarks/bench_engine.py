"""Judging throughput: 100,000 varied surveys (mix of hazards, stages, structures) on one core.

Each judgement includes validation, rule-set selection by disaster date, scoring, the unconfirmed
notes and the explanation entries (rendered to text only when read; timed separately). The
surveys are generated up front (not timed) from a fixed seed.

The target figure uses this process's CPU time: the judge runs on one core, and the machines the
benchmarks run on are shared, so wall time mostly measures the neighbours. Wall time is printed
beside it.
"""

from __future__ import annotations

import gc
import random
import time
from typing import Any

from benchmarks.figures import Figure
from survey_app.rules import Rulebook

COUNT = 100_000
DEGREES = (0, "I", "II", "III", "IV", "V")
WOOD_SECOND = ("roof", "columns", "floors", "exterior_wall", "interior_wall", "ceilings",
               "fittings", "services")
NON_WOOD = ("columns_walls", "floors_beams", "exterior_finish", "interior_finish", "ceilings",
            "fittings", "services")


def _grid(rng: random.Random) -> dict[str, Any]:
    rows, left = [], 100
    for degree in rng.sample(DEGREES, rng.randint(1, 3)):
        share = rng.randint(0, left)
        left -= share
        rows.append({"degree": degree, "area_percent": share})
    return {"degrees": rows}


def _foundation(rng: random.Random) -> dict[str, Any]:
    perimeter = rng.choice((24, 30, 36, 40))
    return {"damaged_length_m": rng.randint(0, perimeter), "perimeter_m": perimeter}


def _components(rng: random.Random, codes: tuple[str, ...], foundation: bool) -> dict[str, Any]:
    chosen = {code: _grid(rng) for code in rng.sample(codes, rng.randint(2, len(codes)))}
    if foundation:
        chosen["foundation"] = _foundation(rng)
    return chosen


def _inclination(rng: random.Random) -> dict[str, Any]:
    return {"offsets_cm": [round(rng.uniform(0, 8), 1) for _ in range(4)]}


def _earthquake(rng: random.Random, obs: dict[str, Any]) -> None:
    second = rng.random() < 0.35
    obs["stage"] = "second" if second else "first"
    obs["structure"] = "non_wood" if second and rng.random() < 0.2 else "wood"
    if rng.random() < 0.03:
        obs["appearance"] = {"total_collapse": True}
    if rng.random() < 0.5:
        obs["inclination"] = _inclination(rng)
    if obs["structure"] == "non_wood":
        obs["components"] = _components(rng, NON_WOOD, False)
    elif second:
        obs["components"] = _components(rng, WOOD_SECOND, True)
    else:
        obs["components"] = _components(rng, ("roof", "exterior_wall"), True)


def _flood(rng: random.Random, obs: dict[str, Any]) -> None:
    external = rng.random() < 0.5 or obs["disaster_date"] < "2024-05-31"
    obs["flood"] = {"external_force": external}
    if rng.random() < 0.2:
        obs["flood"]["below_floor_only"] = True
    else:
        obs["flood"]["depth_above_floor_cm"] = rng.randint(1, 300)
    if rng.random() < 0.2:
        obs["stage"] = "second"
        obs["components"] = _components(rng, WOOD_SECOND, True)


def _wind(rng: random.Random, obs: dict[str, Any]) -> None:
    obs["components"] = _components(rng, ("roof", "exterior_wall", "ceilings", "fittings"), False)


def _liquefaction(rng: random.Random, obs: dict[str, Any]) -> None:
    obs["liquefaction"] = {"sinking": rng.choice(("none", "foundation_25cm", "floor", "above_floor_1m"))}
    obs["inclination"] = _inclination(rng)


MAKERS = ((_earthquake, 0.5), (_flood, 0.3), (_wind, 0.12), (_liquefaction, 0.08))


def make_surveys(count: int = COUNT, seed: int = 20240531) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    dates = ("2016-04-14", "2019-10-12", "2021-08-14", "2024-01-01", "2024-07-25", "2025-09-01")
    surveys = []
    for _ in range(count):
        maker = rng.choices([m for m, _ in MAKERS], weights=[w for _, w in MAKERS])[0]
        obs = {"hazard": maker.__name__[1:], "stage": "first", "structure": "wood",
               "disaster_date": rng.choice(dates)}
        maker(rng, obs)
        if rng.random() < 0.05:
            obs["floor_area"] = {"lost_m2": rng.randint(0, 80), "total_m2": 80}
        surveys.append(obs)
    return surveys


def run() -> list[Figure]:
    book = Rulebook.load()
    surveys = make_surveys()
    judge = book.judge
    # The generated input is set-up, not work: keep the collector from rescanning it.
    gc.collect()
    gc.freeze()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for obs in surveys:
            judge(obs)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        gc.unfreeze()
    sample = [judge(obs) for obs in surveys[:10_000]]
    render = time.process_time()
    lines = sum(len(j.explanation) for j in sample)
    render = time.process_time() - render
    return [
        Figure(f"judge {COUNT:,} surveys", COUNT / cpu, "surveys/s", target=20000,
               note="CPU time, one core"),
        Figure(f"judge {COUNT:,} surveys (wall clock, shared machine)", COUNT / wall, "surveys/s"),
        Figure(f"render the explanation of {len(sample):,} judgements", len(sample) / render,
               "judgements/s", note=f"{lines:,} lines"),
    ]
