"""Sync benchmarks over loopback, with a real server process.

- First sync of a laptop holding 10,000 surveys and 20,000 small photos (4 KiB): its time, and
  the photo upload throughput as a ratio of a plain HTTP upload of the same bytes (target
  >= 0.7). "Plain" = one PUT per photo to a bare ASGI app under the same uvicorn that writes
  each file as durably as the sync server (temp file, fsync, rename), with no authentication,
  hashing, verification or database.
- 100 laptops syncing at once (each: 3 surveys done offline with 2 photos each), against SQLite
  and against PostgreSQL: requests per second and p50/p99 latency of every request as the
  laptop sees it (target p99 < 500 ms). "At once": all 100 start within the same second
  (uniformly spread, as laptops coming back online do). Logins happen before: each laptop's
  app stayed open since the morning's sync and resumes its checked session (no /me); the
  laptops' local stores live on a RAM disk when there is one (/dev/shm), as each laptop has
  its own disk in the field; the server's database and photos stay on the real disk. The
  laptops run on the same CPUs as the server, at a lower priority (nice 10): in the field each
  has its own CPU, so their work should not take the server's; a laptop's latency still
  includes any wait for its own share of the CPU. Each backend runs as the admin guide deploys
  it: one process on SQLite (one writer anyway), `--workers 2` on PostgreSQL.
SYNC_BENCH_SURVEYS / SYNC_BENCH_LAPTOPS scale the runs down for a quick look;
SYNC_BENCH_LAPTOP_NICE=0 runs the laptops at the server's priority.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

from benchmarks.figures import Figure
from benchmarks.fs_settle import fan_out, settle
from benchmarks.sync_setup import JUDGED, Server, fill_laptop, staff
from survey_app.services.sync import SyncEngine
from survey_app.services.workspace import Workspace

SURVEYS = int(os.environ.get("SYNC_BENCH_SURVEYS", "10000"))
LAPTOPS = int(os.environ.get("SYNC_BENCH_LAPTOPS", "100"))
PHOTO_SIZE = 4096
WORKERS = 4
SPREAD = 1.0  # "at once": every laptop starts within the same second
# The simulated laptops yield the shared CPUs to the server (see above); 0: equal priority.
LAPTOP_NICE = int(os.environ.get("SYNC_BENCH_LAPTOP_NICE", "10"))


def _first_sync(root: Path) -> list[Figure]:
    server = Server(root / "server", "sqlite").start()
    try:
        staff(server, {"office": "office"})
        ws = Workspace(root / "laptop", actor="office")
        photo_bytes = fill_laptop(ws, surveys=SURVEYS, photos_per_survey=2,
                                  photo_size=PHOTO_SIZE, assigned_to="office")
        marks: dict[str, float] = {}

        def mark(progress) -> None:  # noqa: ANN001 - SyncProgress
            marks.setdefault(progress.phase, time.perf_counter())

        engine = SyncEngine(ws, server.url, username="office", password="pw-office-123",
                            on_progress=mark)
        settle(fan_out(server.settings.blob_dir))  # see fs_settle
        started = time.perf_counter()
        report = engine.sync_once()
        total = time.perf_counter() - started
        engine.close()
        shas = [r[0] for r in ws.store.db.execute("SELECT sha256 FROM photos")]
        paths = [ws.blobs.path_for(s) for s in shas]
        ws.close()
    finally:
        server.stop()
    ours = photo_bytes / (marks["records"] - marks["photos"])
    plain = photo_bytes / _plain_upload(root / "plain", paths)
    return [
        Figure(f"first sync: {SURVEYS} surveys, {len(paths)} photos", total, "s",
               note=report.message),
        Figure("first sync: laptop and server agree", float(report.ok and report.agreed), "",
               target=1.0),
        Figure("photo upload throughput (sync)", ours / 1e6, "MB/s"),
        Figure("photo upload throughput (plain PUT per photo)", plain / 1e6, "MB/s"),
        Figure("photo upload throughput ratio sync / plain", ours / plain, "x", target=0.7),
    ]


def _plain_upload(root: Path, paths: list[Path]) -> float:
    server = Server(root, "sqlite").start("benchmarks.plain_upload")
    try:
        settle([server.settings.data_dir] * 32)
        with httpx.Client(base_url=server.url, timeout=30) as client:
            started = time.perf_counter()
            for path in paths:
                client.put(f"/raw/{path.name}", content=path.read_bytes()).raise_for_status()
            return time.perf_counter() - started
    finally:
        server.stop()


# -- 100 laptops at once ---------------------------------------------------------------------

def _prepare_crowd(root: Path, server: Server) -> list[tuple[str, str, str]]:
    names = [f"s{i:03d}" for i in range(LAPTOPS)]
    staff(server, {"office": "office", **{n: "surveyor" for n in names}})
    office = Workspace(root / "office", actor="office")
    did = office.store.buildings.create_disaster(name="豪雨", hazard="flood",
                                                 occurred_on="2024-07-01")
    for n in names:
        for j in range(3):
            bid = office.store.buildings.add(disaster_id=did, address=f"輪島市{n}-{j}",
                                             assigned_to=n)
            office.store.surveys.create(building_id=bid, stage="first", hazard="flood",
                                        surveyor=n)
    _sync(office, server.url, "office")
    office.close()
    return [_prepare_laptop(root, server.url, n) for n in names]


def _sync(ws: Workspace, url: str, name: str) -> tuple[str, dict]:
    engine = SyncEngine(ws, url, username=name, password=f"pw-{name}-123")
    report = engine.sync_once()
    assert report.agreed, report.message
    token = engine.client.http.headers["Authorization"].split()[1]
    identity = dict(engine.client.identity)
    engine.close()
    return token, identity


def _prepare_laptop(root: Path, url: str, name: str) -> tuple[str, str, str, dict]:
    ws = Workspace(root / name, actor=name)
    token, identity = _sync(ws, url, name)  # the morning's sync: assignments come down
    for k, (sid,) in enumerate(ws.store.db.execute("SELECT id FROM surveys").fetchall()):
        for p in range(2):
            ref = ws.blobs.put_bytes(os.urandom(PHOTO_SIZE))
            ws.store.photos.add(ref.sha256, actor=name, size=ref.size)
            ws.store.photos.attach(sid, ref.sha256, tag=f"写真{p}", actor=name)
        ws.store.surveys.complete(sid, observations={"浸水深": {"床上_cm": 10 * k}},
                                  judgement=JUDGED, author=name)
    ws.close()
    return str(root / name), name, token, identity


def _run_laptops(laptops: list[tuple[str, str, str]], url: str, start_at: float) -> dict:
    """In a worker process: one thread per laptop, all starting at `start_at` (wall clock)."""
    import threading

    latencies: list[float] = []
    results: list[bool] = []
    lock = threading.Lock()

    def record(method: str, path: str, seconds: float, status: int) -> None:
        with lock:
            latencies.append(seconds)

    def one(home: str, name: str, token: str, identity: dict, delay: float) -> None:
        ws = Workspace(Path(home), actor=name)
        engine = SyncEngine(ws, url, username=name, token=token)
        engine.client.resume(token, identity)
        engine.client.http.on_request = record
        time.sleep(max(0.0, start_at + delay - time.time()))
        report = engine.sync_once()
        with lock:
            results.append(report.ok and report.agreed)
        engine.close()
        ws.close()

    rng = random.Random(len(laptops))
    threads = [threading.Thread(target=one, args=(*lap, rng.uniform(0, SPREAD)))
               for lap in laptops]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"latencies": latencies, "ok": sum(results), "end": time.time()}


def _lower_priority() -> None:
    if hasattr(os, "nice"):  # not on Windows
        os.nice(LAPTOP_NICE)


# Logins are not measured here: a cheap password hash keeps the set-up of 101 users short.
_FAST_HASH = {"SURVEY_SERVER_ARGON2_TIME_COST": "1", "SURVEY_SERVER_ARGON2_MEMORY_KIB": "8192"}


def _laptops_dir() -> tempfile.TemporaryDirectory:
    """A RAM disk for the laptops' stores when there is one: in the field each laptop flushes
    to its own disk, not into the server's file-system journal."""
    shm = Path("/dev/shm")
    ram = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="bench-laptops-", dir=ram)


# As docs/guide/*/admin.md deploys each backend (server processes).
_DEPLOYED = {"sqlite": (), "postgresql": ("--workers", "2")}


def _crowd(root: Path, backend: str) -> list[Figure]:
    server = Server(root / backend, backend, env=_FAST_HASH).start("survey_app.server",
                                                                    *_DEPLOYED[backend])
    homes = _laptops_dir()
    try:
        laptops = _prepare_crowd(Path(homes.name), server)
        settle(fan_out(server.settings.blob_dir))  # see fs_settle
        start_at = time.time() + 3.0
        parts = [laptops[i::WORKERS] for i in range(WORKERS)]
        with ProcessPoolExecutor(WORKERS, initializer=_lower_priority) as pool:
            outs = list(pool.map(_run_laptops, parts, [server.url] * WORKERS,
                                 [start_at] * WORKERS))
    finally:
        server.stop()
        homes.cleanup()
    latencies = sorted(x for o in outs for x in o["latencies"])
    wall = max(o["end"] for o in outs) - start_at
    q = statistics.quantiles(latencies, n=100)
    ok = sum(o["ok"] for o in outs)
    label = f"{LAPTOPS} laptops at once ({backend})"
    return [
        Figure(f"{label}: laptops that agree with the server", ok, "", target=LAPTOPS),
        Figure(f"{label}: requests per second", len(latencies) / wall, "req/s",
               note=f"{len(latencies)} requests in {wall:.1f} s"),
        Figure(f"{label}: p50 latency", q[49] * 1000, "ms"),
        Figure(f"{label}: p99 latency", q[98] * 1000, "ms", target=500, higher_is_better=False,
               note=f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
    ]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        figures = _first_sync(root / "first")
        for backend in ("sqlite", "postgresql"):
            figures += _crowd(root / "crowd", backend)
    return figures
