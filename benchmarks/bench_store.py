"""Store benchmarks at 200,000 survey versions.

- insert rate of Surveys.bulk_import_versions as a ratio of raw sqlite3.executemany writing the
  same rows (target >= 0.5). "The same rows" means the same SQL writes: the version rows and the
  head columns of their surveys, from tuples built beforehand, so the ratio is the cost of the
  store layer (canonical JSON, content hashes, version numbering, audit) over bare SQLite. The
  bare insert of the version rows alone is printed too, for information;
- a filtered, sorted page (grade + address text) at 200,000 rows (target < 20 ms).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure
from survey_app.store.db import open_store
from survey_app.store.ids import new_id, now_iso
from survey_app.store.listing import SurveyFilter

N = 200_000
GRADES = [("zenkai", "全壊"), ("daikibo", "大規模半壊"), ("chukibo", "中規模半壊"),
          ("hankai", "半壊"), ("junhankai", "準半壊"), ("ichibu", "準半壊に至らない（一部損壊）")]
TOWNS = ["宮園", "木山", "安永", "惣領", "寺迫", "福富", "広崎", "辻の城", "馬水", "島田"]


def _observations(rng: random.Random) -> dict:
    return {"hazard": "earthquake", "stage": "first", "structure": "wood",
            "disaster_date": "2016-04-14",
            "inclination": {"offsets_cm": [round(rng.uniform(0, 5), 1) for _ in range(4)]},
            "components": {"roof": {"degrees": [{"degree": "III", "area_percent": 40}]},
                           "exterior_wall": {"degrees": [{"degree": "II", "area_percent": 20}]}}}


def _fill_surveys(store, n: int) -> list[str]:
    did = store.buildings.create_disaster(name="熊本地震", hazard="earthquake",
                                          occurred_on="2016-04-14")
    now = now_iso()
    buildings, surveys = [], []
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        bid, sid = new_id(), new_id()
        address = f"熊本県上益城郡益城町{town}{i % 97 + 1}丁目{i % 31 + 1}番{i}"
        buildings.append((bid, did, address, town, now, now))
        surveys.append((sid, bid, did, address, town, now, now))
    with store.atomic() as db:
        db.conn.executemany("INSERT INTO buildings (id, disaster_id, address, area, created_at,"
                            " updated_at) VALUES (?,?,?,?,?,?)", buildings)
        db.conn.executemany("INSERT INTO surveys (id, building_id, disaster_id, stage, hazard,"
                            " address, area, created_at, updated_at) VALUES"
                            " (?,?,?,'first','earthquake',?,?,?,?)", surveys)
    return [s[0] for s in surveys], did


def _version_rows(survey_ids: list[str]) -> list[dict]:
    rng = random.Random(7)
    rows = []
    for sid in survey_ids:
        code, label = GRADES[rng.randrange(6)]
        rows.append({"survey_id": sid, "observations": _observations(rng),
                     "judgement": {"grade_code": code, "grade": label,
                                   "damage_ratio": rng.uniform(0, 60),
                                   "rules_version": "2024-05-31", "rules_hash": "h",
                                   "explanation": ["部位合計"]}})
    return rows


def _raw_rows(rows: list[dict]) -> list[tuple]:
    from survey_app.store.canonical import canonical

    return [(new_id(), r["survey_id"], 1, None, canonical(r["observations"]),
             r["judgement"]["grade_code"], r["judgement"]["grade"],
             r["judgement"]["damage_ratio"], "2024-05-31", "h", "", "[]", "x" * 64, "", "",
             "t") for r in rows]


def _time_raw(path: Path, rows: list[dict], *, with_heads: bool) -> float:
    from survey_app.store.bulk import _HEAD, _INSERT

    store = open_store(path)
    ids, _ = _fill_surveys(store, len(rows))
    raw = _raw_rows([{**r, "survey_id": sid} for r, sid in zip(rows, ids, strict=True)])
    heads = [(r[0], 1, r[5], r[6], r[7], r[8], "t", r[1]) for r in raw]
    t0 = time.perf_counter()
    with store.atomic() as db:
        db.conn.executemany(_INSERT, raw)
        if with_heads:
            db.conn.executemany(_HEAD, heads)
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed


def _page_ms(store, did: str) -> float:
    samples = []
    for town in TOWNS:
        flt = SurveyFilter(did, text=f"益城町{town}", grade_codes=("zenkai",))
        t0 = time.perf_counter()
        store.listing.page(flt, sort="address", limit=100)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "ours.db")
        ids, did = _fill_surveys(store, N)
        rows = _version_rows(ids)
        t0 = time.perf_counter()
        store.surveys.bulk_import_versions(rows, actor="bench")
        ours = time.perf_counter() - t0
        raw = _time_raw(Path(tmp) / "raw.db", rows, with_heads=True)
        bare = _time_raw(Path(tmp) / "bare.db", rows, with_heads=False)
        page = _page_ms(store, did)
        store.close()
    return [
        Figure("store 200,000 survey versions", N / ours, "rows/s"),
        Figure("  as a ratio of raw executemany (versions + heads)", raw / ours, "ratio",
               target=0.5),
        Figure("  as a ratio of a bare insert of the version rows", bare / ours, "ratio"),
        Figure("filtered sorted page (grade + address) at 200k", page, "ms", target=20,
               higher_is_better=False),
    ]
