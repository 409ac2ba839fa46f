"""The sync test_crash_sync.py kills: `python crash_sync_child.py HOME URL USER PASSWORD`.

It syncs the laptop store at HOME with the server again and again until killed, with the real
engine (survey_app.services.sync), and prints one line per step so the parent can aim its kill:

  p <phase> <records_done> <photos_done> <bytes_done>   a progress update of the engine
  r <method> <path> <status>                            a reply has arrived, not yet acted on
  done <ok> <agreed> <outcomes>                         a round ended (outcomes: result=count,…)

After each line it waits for the parent's "go" on stdin: on loopback a whole round takes a few
milliseconds, and without the lockstep the child would be far ahead of the line the parent
aims at. The parent answers, waits a random moment and kills: the kill lands somewhere in the
step that follows (a request, the server's reply, the transaction that records it).
"""

from __future__ import annotations

import os
import random
import sys
import threading
from pathlib import Path

from survey_app.services.sync import SyncEngine, SyncProgress
from survey_app.services.workspace import Workspace
from survey_app.sync.http import Backoff

_LOCK = threading.Lock()  # photo uploads report progress from a few threads at once


def say(*parts: object) -> None:
    with _LOCK:
        # One write(2) per line: print() may hand a line to the pipe in pieces, and a kill
        # between them would leave half a line.
        os.write(1, (" ".join(map(str, parts)) + "\n").encode())
        if not sys.stdin.readline():
            raise SystemExit("the parent is gone")


def show(progress: SyncProgress) -> None:
    say("p", progress.phase, progress.records_done, progress.photos_done, progress.bytes_done)


def main() -> None:
    home, url, user, password = Path(sys.argv[1]), *sys.argv[2:5]
    ws = Workspace(home, actor=user)
    # Quick retries: a server the parent killed is either back soon or this round fails.
    backoff = Backoff(base=0.02, cap=0.3, attempts=6, rng=random.Random())
    engine = SyncEngine(ws, url, username=user, password=password, on_progress=show,
                        backoff=backoff)
    # The transport's timing hook runs once a reply is read, before the engine acts on it.
    engine.client.http.on_request = lambda method, path, _s, status: say("r", method, path,
                                                                         status)
    while True:
        report = engine.sync_once()
        outcomes = ",".join(f"{k}={v}" for k, v in sorted(report.push.outcomes.items()))
        say("done", int(report.ok), int(report.agreed), outcomes or "-")


if __name__ == "__main__":
    main()
