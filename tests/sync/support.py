"""Real parts for the sync tests: a server process on a free loopback port (SQLite or a
throw-away PostgreSQL database), a TCP proxy that cuts connections, and small field data."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from survey_app.server.admin import create_admin
from survey_app.server.db import Database
from survey_app.server.settings import Settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parents[2]
# Fast argon2 and small chunks keep the suite quick; production uses the defaults.
TEST_ENV = {"SURVEY_SERVER_ARGON2_TIME_COST": "1", "SURVEY_SERVER_ARGON2_MEMORY_KIB": "8192",
            "SURVEY_SERVER_ARGON2_PARALLELISM": "1", "SURVEY_SERVER_CHUNK_SIZE": "65536"}
JUDGED = {"grade_code": "hankai", "grade": "半壊", "damage_ratio": 25.0,
          "rules_version": "2024-05-31", "rules_hash": "r1", "explanation": ["部位合計 25%"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_create() -> str:
    """A new, uniquely named PostgreSQL database; fails loudly if the server is not there."""
    import psycopg

    name = f"survey_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as err:
        raise RuntimeError(
            "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, trust auth); the"
            f" sync tests need it (CI provides it): {err}") from err
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def pg_drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class ServerProcess:
    backend: str
    db_url: str
    data_dir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> Settings:
        env = {k.removeprefix("SURVEY_SERVER_").lower(): int(v) for k, v in TEST_ENV.items()}
        return Settings(data_dir=self.data_dir, db_url=self.db_url, **env)

    def start(self) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir.parent / f"server-{self.backend}-{self.port}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the child until stop()
        cmd = [sys.executable, "-m", "survey_app.server", "serve", "--db", self.db_url, "--data",
               str(self.data_dir), "--port", str(self.port), "--log-level", "info"]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                                     env={**os.environ, **TEST_ENV})
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a power cut or an OOM kill would do."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def query(self, sql: str, params: tuple = ()) -> list[dict]:
        db = Database(self.settings.database_url, pool_size=1)
        try:
            with db.read() as conn:
                return conn.all(sql, params)
        finally:
            db.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


@dataclass
class Tenant:
    """One municipality on the shared test server, with its admin's credentials."""

    server: ServerProcess
    code: str
    admin: str
    password: str = "admin-pass-123"

    def user(self, name: str) -> str:
        return f"{name}-{self.code}"


def new_tenant(server: ServerProcess) -> Tenant:
    code = f"t{uuid.uuid4().hex[:10]}"
    tenant = Tenant(server, code, admin=f"admin-{code}")
    create_admin(server.settings, municipality_code=code, username=tenant.admin,
                 password=tenant.password, municipality_name="テスト市")
    return tenant


class CuttingProxy:
    """A loopback TCP proxy that cuts each connection, with probability `rate`, after a random
    number of bytes (seeded): requests die half-sent, responses die half-received."""

    def __init__(self, upstream_port: int, *, seed: int, rate: float = 0.3,
                 max_bytes: int = 20000) -> None:
        self.upstream = upstream_port
        self.rng = random.Random(seed)
        self.rate, self.max_bytes = rate, max_bytes
        self.cuts = 0
        self._lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                budget = self.rng.randint(1, self.max_bytes) if self.rng.random() < self.rate \
                    else None
            threading.Thread(target=self._serve, args=(client, budget), daemon=True).start()

    def _serve(self, client: socket.socket, budget: int | None) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
        except OSError:
            client.close()
            return
        state = {"left": budget, "closed": False}
        pumps = [threading.Thread(target=self._pump, args=(a, b, state), daemon=True)
                 for a, b in ((client, upstream), (upstream, client))]
        for p in pumps:
            p.start()
        for p in pumps:
            p.join()
        for s in (client, upstream):
            s.close()

    def _pump(self, src: socket.socket, dst: socket.socket, state: dict) -> None:
        try:
            while not state["closed"]:
                data = src.recv(65536)
                if not data:
                    break
                if state["left"] is not None:
                    state["left"] -= len(data)
                    if state["left"] <= 0:
                        self._cut(src, dst, state)
                        return
                dst.sendall(data)
        except OSError:
            pass
        state["closed"] = True
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def _cut(self, a: socket.socket, b: socket.socket, state: dict) -> None:
        with self._lock:
            self.cuts += 1
        state["closed"] = True
        for s in (a, b):
            # SO_LINGER 0: close with a reset, as a dropped mobile link looks to the peer.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop = True
        self.sock.close()


class ReplayTransport(httpx.HTTPTransport):
    """Sends every request twice and answers with the second reply: the server sees each
    request replayed, as when a client retries after losing the first response."""

    def __init__(self) -> None:
        super().__init__()
        self.replayed = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        first = super().handle_request(request)
        first.read()
        first.close()
        self.replayed += 1
        return super().handle_request(request)
