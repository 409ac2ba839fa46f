"""Real parts for the sync benchmarks: a server process on a free loopback port (SQLite, or a
throw-away PostgreSQL database), its users, and laptops filled in bulk."""

from __future__ import annotations

import hashlib
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from survey_app.server.admin import create_admin
from survey_app.server.settings import Settings
from survey_app.services.workspace import Workspace
from survey_app.store.canonical import canonical, judged_tuple, version_content_hash
from survey_app.store.ids import new_id, now_iso
from survey_app.sync.client import SyncClient

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent
JUDGED = {"grade_code": "hankai", "grade": "半壊", "damage_ratio": 25.0,
          "rules_version": "2024-05-31", "rules_hash": "r1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, backend: str, env: dict[str, str] | None = None) -> None:
        self.backend, self.root, self.port = backend, root, free_port()
        self.env = env or {}
        if backend == "postgresql":
            import psycopg

            name = f"survey_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.db_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
        else:
            self.db_url = f"sqlite:///{root / 'server.db'}"
        self.settings = Settings(data_dir=root / "data", db_url=self.db_url)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, module: str = "survey_app.server", *extra: str) -> Server:
        cmd = [sys.executable, "-m", module, "serve", "--db", self.db_url, "--data",
               str(self.root / "data"), "--port", str(self.port), "--log-level", "warning",
               *extra]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **self.env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(self.url + "/health")
        return self

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        if self.backend == "postgresql":
            import psycopg

            name = self.db_url.rsplit("/", 1)[1]
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


def staff(server: Server, users: dict[str, str]) -> None:
    """A municipality, its admin and `users` {name: role}; every password is pw-<name>-123."""
    create_admin(server.settings, municipality_code="172049", username="admin",
                 password="admin-pass-123")
    admin = SyncClient.connect(server.url)
    admin.login("admin", "admin-pass-123")
    for name, role in users.items():
        admin.admin_add_user(name, f"pw-{name}-123", role)
    admin.close()


def fill_laptop(ws: Workspace, *, surveys: int, photos_per_survey: int, photo_size: int,
                assigned_to: str, seed: int = 1) -> int:
    """Bulk-fill a laptop (buildings, surveys, one version each, photos); returns photo bytes.
    Blob files are written without fsync: this is set-up, not the part measured."""
    rng = random.Random(seed)
    store, now = ws.store, now_iso()
    did = store.buildings.create_disaster(name="令和6年能登半島地震", hazard="earthquake",
                                          occurred_on="2024-01-01")
    rows = {"b": [], "s": [], "v": [], "p": [], "l": []}
    total = 0
    for i in range(surveys):
        bid, sid = new_id(), new_id()
        address = f"石川県輪島市河井町{i // 100 + 1}丁目{i % 100 + 1}番地"
        rows["b"].append((bid, did, address, assigned_to, now, now))
        rows["s"].append((sid, bid, did, address, assigned_to, now, now))
        obs = {"外壁": {"損傷率": rng.randint(0, 60)}, "屋根": {"損傷率": rng.randint(0, 60)}}
        text = canonical(obs)
        rows["v"].append((new_id(), sid, text, version_content_hash(text, judged_tuple(JUDGED)),
                          now))
        for _ in range(photos_per_survey):
            data = rng.randbytes(photo_size)
            sha = hashlib.sha256(data).hexdigest()
            path = ws.blobs.path_for(sha)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            rows["p"].append((sha, len(data), "image/jpeg", now))
            rows["l"].append((sid, sha, "外観", now))
            total += len(data)
    _insert(store, rows)
    return total


def _insert(store, rows: dict[str, list]) -> None:  # noqa: ANN001 - Store
    with store.atomic() as db:
        c = db.conn
        c.executemany("INSERT INTO buildings (id, disaster_id, address, assigned_to, created_at,"
                      " updated_at) VALUES (?,?,?,?,?,?)", rows["b"])
        c.executemany("INSERT INTO surveys (id, building_id, disaster_id, stage, hazard,"
                      " address, surveyor, created_at, updated_at) VALUES"
                      " (?,?,?,'first','earthquake',?,?,?,?)", rows["s"])
        c.executemany("INSERT INTO survey_versions (id, survey_id, version_no, observations,"
                      " grade_code, grade, damage_ratio, rules_version, rules_hash,"
                      " content_hash, created_at) VALUES (?,?,1,?,'hankai','半壊',25.0,"
                      " '2024-05-31','r1',?,?)", rows["v"])
        c.executemany("UPDATE surveys SET head_version_id = ?, version_count = 1, status ="
                      " 'completed' WHERE id = ?", [(v[0], v[1]) for v in rows["v"]])
        c.executemany("INSERT INTO photos (sha256, size, mime, imported_at) VALUES (?,?,?,?)"
                      " ON CONFLICT DO NOTHING", rows["p"])
        c.executemany("INSERT INTO survey_photos (survey_id, sha256, tag, added_at)"
                      " VALUES (?,?,?,?) ON CONFLICT DO NOTHING", rows["l"])
