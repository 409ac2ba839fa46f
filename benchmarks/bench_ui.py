"""Field app benchmarks at the scale of a large disaster.

- cold start to the main window shown, 200,000 surveys in the store (target < 1.5 s), counted
  from the moment the process is started; the first page of the list is printed too;
- typing a filter at 200,000 rows: time from the debounced query being sent to the list
  showing its first page (target < 50 ms, the worst keystroke);
- the map page for 100,000 homes: query + build (target < 2 s).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure
from survey_app.store.db import open_store
from survey_app.store.ids import new_id, now_iso

N_SURVEYS = 200_000
N_MAP = 100_000
TOWNS = ["荒井", "六丁の目", "卸町", "遠見塚", "沖野", "今泉", "霞目", "若林", "蒲町", "大和町"]
STATUSES = ["unsurveyed", "draft", "completed", "completed", "resurvey_requested"]
GRADES = ["zenkai", "daikibo", "chukibo", "hankai", "junhankai", "ichibu"]
SURVEYORS = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺"]
KEYSTROKES = ["荒", "荒井", "荒井3", "荒井3丁", "荒井3丁目", "荒井3丁目1"]


def fill(home: Path, n: int) -> str:
    """A disaster with `n` located homes and their surveys, written with plain SQL (fast)."""
    store = open_store(home / "survey.db")
    did = store.buildings.create_disaster(name="ベンチマーク地震", hazard="earthquake",
                                          occurred_on="2026-11-01")
    rng, now = random.Random(3), now_iso()
    buildings, surveys = [], []
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        bid, status = new_id(), STATUSES[i % len(STATUSES)]
        address = f"宮城県仙台市若林区{town}{i % 9 + 1}丁目{i % 47 + 1}番{i % 23 + 1}号"
        buildings.append((bid, did, address, town, f"住民 {i}", 38.2 + rng.random() * 0.1,
                          140.8 + rng.random() * 0.15, now, now))
        grade = rng.choice(GRADES) if status == "completed" else None
        surveys.append((new_id(), bid, did, status, SURVEYORS[i % 6], grade,
                        rng.uniform(0, 60) if grade else None, address, f"住民 {i}", town, now,
                        now))
    with store.atomic() as db:
        db.conn.executemany("INSERT INTO buildings (id, disaster_id, address, area, owner_name,"
                            " lat, lon, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                            buildings)
        db.conn.executemany("INSERT INTO surveys (id, building_id, disaster_id, stage, hazard,"
                            " status, surveyor, grade_code, damage_ratio, address, applicant,"
                            " area, created_at, updated_at) VALUES"
                            " (?,?,?,'first','earthquake',?,?,?,?,?,?,?,?,?)", surveys)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return did


def cold_start(home: Path) -> tuple[float, float]:
    """Seconds from starting the process to the window shown, and to the list's first page."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SURVEY_APP_LANG": "ja"}
    started = time.time()
    out = subprocess.run([sys.executable, "-m", "survey_app", "gui", "--home", str(home),
                          "--quit-when-shown"], capture_output=True, text=True, env=env,
                         timeout=120, check=True).stdout
    stamps = {line.split()[0]: float(line.split()[2]) for line in out.splitlines()
              if line.startswith(("shown", "list"))}
    return stamps["shown"] - started, stamps["list"] - started


def typing(home: Path, did: str) -> list[float]:
    """Milliseconds per keystroke from the debounced query to the first page shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from survey_app.store.listing import SurveyFilter
    from survey_app.ui.ops import Ops
    from survey_app.ui.widgets.survey_list import SurveyListModel

    app = QApplication.instance() or QApplication([])
    ops = Ops(home)
    model = SurveyListModel(ops)
    pages: list[float] = []
    model.page_loaded.connect(lambda _rows: pages.append(time.perf_counter()))

    def shown(flt: SurveyFilter) -> float:
        pages.clear()
        started = time.perf_counter()
        model.set_filter(flt)
        while not pages:  # sleep in the event loop as the app does, not a busy loop
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return (pages[0] - started) * 1000

    try:
        shown(SurveyFilter(disaster_id=did))  # warm-up: the worker opens the store
        return [shown(SurveyFilter(disaster_id=did, text=t)) for t in KEYSTROKES]
    finally:
        ops.shutdown()


def store_page_ms(home: Path, did: str, text: str) -> float:
    """The store's own page query for one keystroke, for comparison with the list's figure."""
    from survey_app.store.listing import SurveyFilter

    store = open_store(home / "survey.db")
    try:
        flt = SurveyFilter(disaster_id=did, text=text)
        store.listing.page(flt)
        started = time.perf_counter()
        store.listing.page(flt)
        return (time.perf_counter() - started) * 1000
    finally:
        store.close()


def map_build(home: Path, did: str) -> float:
    from survey_app.services.map_data import build_disaster_map
    from survey_app.services.workspace import Workspace

    ws = Workspace(home)
    try:
        build_disaster_map(ws, did, home / "map-warm")  # copies the assets once
        started = time.perf_counter()
        build_disaster_map(ws, did, home / "map")
        return time.perf_counter() - started
    finally:
        ws.close()


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "map"
        did = fill(big, N_SURVEYS)
        starts = [cold_start(big) for _ in range(3)]
        keys = typing(big, did)
        worst = KEYSTROKES[keys.index(max(keys))]
        store_ms = store_page_ms(big, did, worst)
        map_did = fill(small, N_MAP)
        map_s = map_build(small, map_did)
    shown = statistics.median(s for s, _ in starts)
    listed = statistics.median(li for _, li in starts)
    return [
        Figure("cold start to main window shown, 200k surveys", shown, "s", target=1.5,
               higher_is_better=False, note="median of 3, from process start"),
        Figure("  … to the list's first page", listed, "s"),
        Figure("filter typed at 200k rows, worst keystroke", max(keys), "ms", target=50,
               higher_is_better=False, note=f"median {statistics.median(keys):.1f} ms"),
        Figure(f"  the store's page query alone for {worst!r}", store_ms, "ms"),
        Figure("map page for 100k homes built (query + HTML)", map_s, "s", target=2.0,
               higher_is_better=False),
    ]
