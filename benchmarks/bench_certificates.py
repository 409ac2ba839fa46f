"""Certificate issuing and printing speed: 1,000 certificates in one batch, on one core.

Setup (not timed): a fresh store with 1,000 judged homes, each with one application.
Timed: (1) numbering + register entries for all 1,000 (`issue_all_judged` without printing);
(2) printing them into one PDF; (3) printing them as 1,000 separate PDFs (one per household).
Printing includes building each page from the register, the QR code (its cache is cleared
first, so every code is encoded), the PDF write with fsync and rename, and marking the
entries printed. The fonts are registered once per process, as in the app.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure
from survey_app.certificates.qr import qr_image
from survey_app.services.office_applications import ApplicationForm, register_application
from survey_app.services.office_issuing import issue_all_judged
from survey_app.services.office_printing import print_entries
from survey_app.services.workspace import Workspace

N = 1000
TARGET_ONE_PDF = 200.0
TARGET_FILES = 50.0


GRADES = (("zenkai", "全壊"), ("daikibo", "大規模半壊"), ("chukibo", "中規模半壊"),
          ("hankai", "半壊"), ("junhankai", "準半壊"), ("ichibu", "準半壊に至らない（一部損壊）"))


def _fill(ws: Workspace) -> str:
    """1,000 judged homes, one application each, in one transaction (setup, not timed)."""
    store = ws.store
    disaster = store.buildings.create_disaster(
        name="令和6年能登半島地震", hazard="earthquake", occurred_on="2024-01-01",
        municipality_code="172049", municipality_name="輪島市")
    with store.atomic():
        for i in range(N):
            address = f"石川県輪島市河井町{i // 100 + 1}丁目{i % 100 + 1}番地"
            bid = store.buildings.add(disaster_id=disaster, address=address)
            sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
            code, label = GRADES[i % len(GRADES)]
            store.surveys.complete(sid, observations={}, author="bench", judgement={
                "grade_code": code, "grade": label, "damage_ratio": None,
                "rules_version": "bench", "rules_hash": "bench", "explanation": []})
            register_application(ws, ApplicationForm(
                disaster_id=disaster, applicant_name=f"住民 {i:04d}", household_address=address,
                damaged_address="同上", cause="令和6年1月1日の令和6年能登半島地震による"))
    return disaster


def _timed(fn):
    """(result, wall seconds, CPU seconds of this process)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench_certificates_") as tmp:
        home = Path(tmp)
        ws = Workspace(home / "home", actor="bench")
        disaster = _fill(ws)
        batch, t_alloc, _ = _timed(lambda: issue_all_judged(ws, disaster, render=False))
        entries = batch.issued
        assert len(entries) == N, f"only {len(entries)} allocated"
        qr_image.cache_clear()
        one = home / "one" / "batch.pdf"
        _, t_one, cpu_one = _timed(lambda: print_entries(ws, entries, out=one))
        qr_image.cache_clear()
        folder = home / "files"
        _, t_files, cpu_files = _timed(
            lambda: print_entries(ws, entries, out=folder, single_file=False))
        sizes = [p.stat().st_size for p in folder.glob("*.pdf")]
        batch_size = one.stat().st_size
        ws.close()
    return [
        Figure("number + register entry (chunked transactions)", N / t_alloc, "cert/s"),
        Figure("print 1,000 certificates into one PDF", N / t_one, "cert/s", TARGET_ONE_PDF),
        Figure("  same, CPU time of this process only", N / cpu_one, "cert/s"),
        Figure("print 1,000 certificates as separate PDFs", N / t_files, "cert/s",
               TARGET_FILES),
        Figure("  same, CPU time of this process only", N / cpu_files, "cert/s"),
        Figure("size of a single-certificate PDF (mean)", sum(sizes) / len(sizes) / 1024,
               "KiB", note=f"min {min(sizes) / 1024:.0f}, max {max(sizes) / 1024:.0f}"),
        Figure("size per page of the 1,000-page PDF", batch_size / N / 1024, "KiB",
               note=f"whole file {batch_size / 1024 / 1024:.1f} MiB"),
    ]
