"""SIGKILL during sync: the laptop's sync process killed at random moments, and the server
process killed at random moments, each then started again.

A real server process (SQLite) listens on loopback. The office assigns homes to a surveyor
("sato") and keeps attaching photos to them; before every run sato's laptop gets new photos
(small ones that travel in a batch, large ones that go in resumable chunks), new survey
versions, now and then a new home or a position fixed in the field. Then crash_sync_child.py
syncs it with the real engine, in lockstep with this test up to a seeded target (a phase of the
engine: login, photos, records, pull, download, check; or a reply just arrived and not yet acted
on: a push, a pull page, a photo batch, a chunk), is let go and killed a random few
milliseconds later.

After every kill the laptop's store must pass the checks of test_crash.py (integrity, every
original matches its hash, the audit chain, no stray temp files), nothing it held before the run
may be missing, and its outbox must be intact: whatever left the outbox is held by the server
with the same content (an entry may stay after the server took it: the resend is `already`).
The server must never hold a version, a conflict or a photo the laptops did not make. After the
last, uninterrupted sync the engine's agreement check must pass and the server must hold
exactly what the laptops hold, no survey or photo lost or duplicated.

tests/sync/test_flaky_network.py kills the server once at a fixed point of a chunked upload.
Here the server is killed at random moments of whole syncs (batches, chunks, pushes, pulls,
the check), several times, and its database and photo files are checked after each kill.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from survey_app.services.sync import SyncProgress, SyncReport
from survey_app.services.workspace import Workspace
from survey_app.sync.http import Backoff
from tests.release.sync_crash_checks import (
    assert_server_holds_exactly_the_laptops,
    check_laptop,
    check_server_files,
    check_server_invented_nothing,
    local_facts,
    server_facts,
)
from tests.sync.fieldwork import Laptop, add_users, fast_backoff, photo_bytes
from tests.sync.support import ServerProcess, Tenant, new_tenant

CHILD = Path(__file__).with_name("crash_sync_child.py")
KILLS = 24           # about 0.8 s each on a loaded 2-core machine
SERVER_KILLS = 10    # each: a server restart, about 1 s
SEED = 20260415
BIG = 600_000        # over the batch limit: 10 chunks of 64 KiB
PHASES = ("login", "photos", "records", "pull", "download", "check")  # of the engine
REPLIES = ("/push", "/changes", "/blobs/batch", "/uploads")  # just arrived, not yet acted on
LINE_SIZES = {"p": 5, "r": 4, "done": 4}  # the child's lines (crash_sync_child.py)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "server"
    srv = ServerProcess("sqlite", f"sqlite:///{root / 'server.db'}", root / "data").start()
    yield srv
    srv.stop()


@pytest.fixture
def field(server, tmp_path):
    """The office and sato's laptop, the homes assigned to sato, everything synced once."""
    tenant = new_tenant(server)
    add_users(tenant, {"office": "office", "sato": "surveyor"})
    office = Laptop(tmp_path, tenant, "office")
    sato = Laptop(tmp_path, tenant, "sato")
    try:
        disaster = office.disaster()
        surveys = [office.assign(disaster, f"輪島市河井町{i}-1", sato.username)[1]
                   for i in range(4)]
        until_agreed(office)
        until_agreed(sato)
    finally:
        sato.close()
    yield Field(tenant, office, tmp_path, disaster, surveys)
    office.close()


class Field:
    def __init__(self, tenant: Tenant, office: Laptop, root: Path, disaster: str,
                 surveys: list[str]) -> None:
        self.tenant, self.office, self.root = tenant, office, root
        self.disaster, self.surveys = disaster, surveys

    @property
    def sato_home(self) -> Path:
        return self.root / "sato"

    def sato(self) -> Laptop:
        return Laptop(self.root, self.tenant, "sato")


def until_agreed(lap: Laptop, tries: int = 10) -> SyncReport:
    for _ in range(tries):
        report = lap.sync()
        if report.ok and report.agreed:
            return report
    raise AssertionError(f"{lap.name} never agreed: {report.message}")


# -- the work between runs ------------------------------------------------------------------

def office_work(field: Field, run: int, rng: random.Random) -> None:
    """The office attaches a photo to one of sato's homes or renames an area: sato pulls it."""
    office = field.office
    if run % 2:
        size = rng.choice([2_000, 30_000, BIG])
        office.photo(rng.choice(field.surveys), photo_bytes(9000 + run, size), tag="窓口")
    else:
        bid = office.store.surveys.get(rng.choice(field.surveys))["building_id"]
        office.store.buildings.update(bid, actor=office.username, area=f"河井町{run}区")
    until_agreed(office)


def sato_work(field: Field, run: int, rng: random.Random) -> None:
    """New photos and versions on sato's homes, now and then a new home of sato's own or a
    home's position (the office changes only areas: edits merge, nothing conflicts)."""
    sato = field.sato()
    try:
        surveys = [r[0] for r in sato.store.db.execute("SELECT id FROM surveys ORDER BY id")]
        if run % 4 == 1:
            surveys.append(sato.assign(field.disaster, f"輪島市河井町{100 + run}-1",
                                       sato.username)[1])
        for n, sid in enumerate(rng.sample(surveys, 2)):
            size = rng.choice([1_500, 4_000, 40_000, BIG])
            sato.photo(sid, photo_bytes(run * 100 + n, size), tag=rng.choice(["外観", "基礎"]))
            sato.complete(sid, {"外壁": {"損傷率": run * 10 + n}})
        if run % 3 == 0:  # a position fixed in the field: merged with the office's edits
            bid = sato.store.surveys.get(rng.choice(surveys))["building_id"]
            sato.store.buildings.set_location(bid, lat=37.39 + run / 1000, lon=136.9,
                                              source="gnss", accuracy_m=5.0,
                                              actor=sato.username)
    finally:
        sato.close()


# -- killing ----------------------------------------------------------------------------------

def run_and_kill(field: Field, run: int, target: str, rng: random.Random) -> list[list[str]]:
    """Start the child, let it run step by step to its `extra`-th step of the target, let it
    go on for a random moment and SIGKILL it."""
    # Photos move in many steps (chunks, batches); the other phases have one or two.
    extra = rng.randint(0, 6) if target in ("photos", "download", "/uploads") else 0
    # After a phase starts: mostly short, inside the step rather than after it. After a reply:
    # a few milliseconds, while the laptop records what the server said.
    delay = rng.uniform(0, 0.004) if target[0] == "/" else 0.05 * rng.random() ** 2
    err_path = field.root / f"stderr-sync-{run}.txt"
    tenant = field.tenant
    cmd = [sys.executable, str(CHILD), str(field.sato_home), tenant.server.url,
           tenant.user("sato"), "pw-sato-123"]
    with open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                                text=True)
    watchdog = threading.Timer(60, proc.kill)  # a hung child fails the test, never the CI job
    watchdog.start()
    lines: list[list[str]] = []
    try:
        while True:
            line = proc.stdout.readline()
            assert line, f"child stopped on its own: {err_path.read_text(errors='replace')}"
            lines.append(line.split())
            proc.stdin.write("go\n")
            proc.stdin.flush()
            if _aim_reached(lines, target, extra):
                break
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        lines += [line.split() for line in proc.stdout.read().splitlines() if line.strip()]
    finally:
        watchdog.cancel()
        for pipe in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
    assert proc.returncode == -signal.SIGKILL, err_path.read_text(errors="replace")
    malformed = [(i, ln) for i, ln in enumerate(lines) if len(ln) != LINE_SIZES.get(ln[0])]
    assert not malformed, (malformed, len(lines), lines[-3:])
    return lines


def aims(rng: random.Random, runs: int, targets: tuple[str, ...]) -> list[str]:
    """What each run aims its kill at: every target in turn, in a seeded order."""
    out: list[str] = []
    while len(out) < runs:
        out += rng.sample(targets, len(targets))
    return out[:runs]


def event(line: list[str]) -> str:
    """A child's line as a phase ("pull"), a reply's path ("/push") or "done"."""
    return {"p": line[1], "r": line[2] if len(line) > 2 else ""}.get(line[0], line[0])


def _aim_reached(lines: list[list[str]], target: str, extra: int) -> bool:
    """The `extra`-th step into the target in this round, or the step that left the target
    phase, or (when this round has no such step: nothing to download, say) its end."""
    if lines[-1][0] == "done":
        return True
    events = [event(ln) for ln in lines]
    events = events[len(events) - events[::-1].index("login") - 1:]  # this round's
    hits = [e == target or (target[0] == "/" and e.startswith(target)) for e in events]
    if not any(hits):
        return False
    return sum(hits) > extra or (target[0] != "/" and not hits[-1])


# -- the tests ----------------------------------------------------------------------------------

def test_laptop_sync_survives_sigkill(field):
    rng = random.Random(SEED)
    targets = aims(rng, KILLS, PHASES + REPLIES)
    landed: set[str] = set()  # the phase each kill cut short
    cut_short = 0  # kills that left something in the outbox
    outcomes: set[str] = set()
    for run in range(1, KILLS + 1):
        office_work(field, run, rng)
        sato_work(field, run, rng)
        ws = Workspace(field.sato_home)
        try:
            before = local_facts(ws)
        finally:
            ws.close()
        lines = run_and_kill(field, run, targets[run - 1], rng)
        landed.add(next(event(ln) for ln in reversed(lines) if ln[0] != "done"))
        outcomes.update(part.split("=")[0] for ln in lines if ln[0] == "done" and ln[3] != "-"
                        for part in ln[3].split(","))
        server = server_facts(field.tenant)
        ws = Workspace(field.sato_home)
        try:
            cut_short += ws.store.db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] > 0
            check_laptop(ws, before, server)
            check_server_invented_nothing(field.office, server, ws)
        finally:
            ws.close()
    # The kills landed all over the sync, and replays were answered `already`, never merged.
    assert len(landed - {"login", "done"}) >= 4 and cut_short >= 3, (landed, cut_short)
    assert outcomes <= {"created", "updated", "already"}, outcomes
    finish_and_compare(field)


def finish_and_compare(field: Field) -> None:
    sato = field.sato()
    try:
        report = until_agreed(sato)
        assert set(report.push.outcomes) <= {"created", "updated", "already"}
        until_agreed(field.office)
        report = until_agreed(sato)
        assert report.agreed and report.push.failed == 0
        for table in ("sync_outbox", "sync_failures"):
            assert sato.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert_server_holds_exactly_the_laptops(field.tenant, field.office, sato)
    finally:
        sato.close()


def test_server_killed_at_random_moments_of_a_sync(field):
    rng = random.Random(SEED + 1)
    targets = aims(rng, SERVER_KILLS, PHASES[1:] + REPLIES)
    server = field.tenant.server
    cut_short = 0
    for run in range(1, SERVER_KILLS + 1):
        office_work(field, run, rng)
        sato_work(field, run, rng)
        back_at_once = run % 2 == 1
        # Back at once: the client's retries outlast the restart and the round may complete.
        backoff = Backoff(base=0.05, cap=0.5, attempts=14) if back_at_once else fast_backoff()
        sato = Laptop(field.root, field.tenant, "sato", backoff=backoff)
        try:
            before = local_facts(sato.ws)
            target = targets[run - 1]
            extra = rng.randint(0, 2) if target in ("photos", "download", "/uploads") else 0
            killer = ServerKiller(server, target, extra, rng.uniform(0, 0.015), back_at_once)
            sato.engine.board.on_progress = killer.on_progress
            sato.engine.client.http.on_request = killer.on_reply
            report = sato.sync()
            killer.finish(report)
            cut_short += not report.ok and not back_at_once
            check_server_files(server)
            facts = server_facts(field.tenant)
            check_laptop(sato.ws, before, facts)
            check_server_invented_nothing(field.office, facts, sato.ws)
        finally:
            sato.close()
    assert cut_short >= 1, "no kill of the server ever cut a sync short"
    finish_and_compare(field)


class ServerKiller:
    """SIGKILLs the server a random moment after a sync reached its target step (a phase's
    start, or a reply just read), so the kill lands while requests are in flight; at the
    latest when the agreement check starts. The server starts again at once, or after the
    sync gave up."""

    def __init__(self, server: ServerProcess, target: str, extra: int, delay: float,
                 back_at_once: bool) -> None:
        self.server, self.back_at_once = server, back_at_once
        self.target, self.extra, self.delay = target, extra, delay
        self.events: list[str] = []
        self.killed_after = ""
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._error: BaseException | None = None

    def on_progress(self, progress: SyncProgress) -> None:  # on the sync's threads
        self._step(progress.phase)

    def on_reply(self, method: str, path: str, seconds: float, status: int) -> None:
        self._step(path)

    def _step(self, event: str) -> None:
        with self._lock:
            if self.killed_after:
                return
            self.events.append(event)
            hits = sum(e == self.target or (self.target[0] == "/" and e.startswith(self.target))
                       for e in self.events)
            if hits > self.extra or event == "check":
                self.killed_after = event
                self._timer = threading.Timer(self.delay, self._kill)
                self._timer.start()

    def _kill(self) -> None:  # on the timer's thread: an error is raised again in finish()
        try:
            self.server.kill()
            if self.back_at_once:
                self.server.start()
        except BaseException as err:  # noqa: BLE001 - handed to the test's thread
            self._error = err

    def finish(self, report: SyncReport) -> None:
        assert self._timer, ("the sync ended before its target step", self.target,
                             " ".join(self.events), report.message)
        self._timer.join(60)
        if self._error:
            raise self._error
        if not self.back_at_once:
            self.server.start()
