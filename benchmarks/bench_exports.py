"""Export throughput and memory: 200,000 buildings to GeoJSON and CSV.

Targets: ≥ 50,000 rows per second; peak Python memory (tracemalloc) flat as the row count grows,
reported at 20,000 and at 200,000 rows. The stores are built once with executemany straight into
the tables (no audit entries: this measures the export, not the import) and cached under /tmp.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.figures import Figure
from survey_app.exports import csv_export, geojson  # noqa: I001
from survey_app.store.db import open_store

CACHE = Path(tempfile.gettempdir()) / "survey_app_bench_exports"
SIZES = (20_000, 200_000)
GRADES = (("zenkai", "全壊", 55.0), ("daikibo", "大規模半壊", 45.0), ("chukibo", "中規模半壊", 35.0),
          ("hankai", "半壊", 25.0), ("junhankai", "準半壊", 15.0),
          ("ichibu", "準半壊に至らない（一部損壊）", 5.0))
STAMP = "2024-01-10T01:00:00.000Z"


def _observations(rng: random.Random, i: int) -> str:
    obs: dict = {"remarks": f"屋根瓦のずれ\n外壁ひび割れ {i}"}
    if i % 3 == 0:
        depth = rng.choice([0, 20, 60, 120])
        obs["flood"] = ({"external_force": False, "depth_above_floor_cm": depth} if depth
                        else {"external_force": False, "below_floor_only": True})
    return json.dumps(obs, ensure_ascii=False)


def _rows(n: int, did: str):
    rng = random.Random(n)
    for i in range(n):
        bid, sid, vid = f"b{i:07d}", f"s{i:07d}", f"v{i:07d}"
        code, label, ratio = GRADES[i % len(GRADES)]
        address = f"宮城県仙台市青葉区一番町{i // 1000 + 1}丁目{i % 1000 + 1}番"
        yield (
            (bid, did, address, address, f"町{i % 40}", f"所有者{i}", "ショユウシャ", "wood", 2,
             38.2 + rng.random() * 0.1, 140.8 + rng.random() * 0.1, "gnss", STAMP, STAMP),
            (sid, bid, did, "first", "earthquake", "completed", f"班{i % 25}", vid, 1, code, label,
             ratio, "R6", address, f"所有者{i}", STAMP, STAMP),
            (vid, sid, 1, _observations(rng, i), code, label, ratio, "R6", "h", "x", STAMP),
        )


_SQL = (
    "INSERT INTO buildings (id, disaster_id, address, address_key, area, owner_name, owner_kana,"
    " structure, floors, lat, lon, location_source, created_at, updated_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO surveys (id, building_id, disaster_id, stage, hazard, status, surveyor,"
    " head_version_id, version_count, grade_code, grade, damage_ratio, rules_version, address,"
    " applicant, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO survey_versions (id, survey_id, version_no, observations, grade_code, grade,"
    " damage_ratio, rules_version, rules_hash, content_hash, created_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
)


def build_store(n: int) -> Path:
    """A store file with `n` judged buildings (cached: later runs reuse it)."""
    path = CACHE / f"exports_{n}.db"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    store = open_store(tmp)
    store.db.conn.execute("PRAGMA synchronous = OFF")
    did = store.buildings.create_disaster(name="ベンチ地震", hazard="earthquake",
                                          occurred_on="2024-01-01", disaster_id="bench")
    batch: list[list[tuple]] = [[], [], []]
    with store.atomic() as db:
        for rows in _rows(n, did):
            for acc, row in zip(batch, rows, strict=True):
                acc.append(row)
            if len(batch[0]) >= 5000:
                _flush(db, batch)
        _flush(db, batch)
    store.close()
    shutil.move(tmp, path)
    return path


def _flush(db, batch: list[list[tuple]]) -> None:
    for sql, rows in zip(_SQL, batch, strict=True):
        db.conn.executemany(sql, rows)
        rows.clear()


def _export(kind: str, n: int) -> int:
    store = open_store(build_store(n))
    out = CACHE / f"out_{n}.{kind}"
    try:
        if kind == "geojson":
            return geojson.export_geojson(store.db, "bench", out)
        return csv_export.export_buildings(store.db, "bench", out)
    finally:
        store.close()
        out.unlink(missing_ok=True)


def _rate(kind: str, n: int) -> tuple[float, float]:
    """(rows per second by the wall clock, rows per second of this process's CPU time)."""
    _export(kind, n)        # warm the page cache: a cold first read measures the disk
    wall, cpu = time.perf_counter(), time.process_time()
    count = _export(kind, n)
    assert count == n, (kind, count, n)
    return n / (time.perf_counter() - wall), n / (time.process_time() - cpu)


def _peak_mib(kind: str, n: int) -> float:
    # Measured in a separate run: tracemalloc slows Python down several times.
    tracemalloc.start()
    _export(kind, n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def run() -> list[Figure]:
    figures = []
    for kind in ("geojson", "csv"):
        peaks = {}
        for n in SIZES:
            wall, cpu = _rate(kind, n)
            peaks[n] = _peak_mib(kind, n)
            figures.append(Figure(f"{kind}: rows per second at {n:,} buildings", wall, "rows/s",
                                  target=50_000, note=f"CPU time: {cpu:,.0f} rows/s"))
            figures.append(Figure(f"{kind}: peak traced memory at {n:,} buildings", peaks[n],
                                  "MiB"))
        growth = peaks[SIZES[1]] / max(peaks[SIZES[0]], 0.001)
        figures.append(Figure(f"{kind}: peak memory growth 20k→200k (flat = 1)", growth, "x",
                              target=1.5, higher_is_better=False,
                              note="tracemalloc, Python allocations only"))
    return figures
