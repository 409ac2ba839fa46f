"""Server settings: one frozen object, from arguments or SURVEY_SERVER_* environment variables.

Secrets (the database URL's password) are never printed: `describe()` masks them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from survey_app.sync.protocol import DEFAULT_CHUNK


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str = ""  # "" → SQLite file data_dir/server.db; postgresql://… for PostgreSQL
    chunk_size: int = DEFAULT_CHUNK
    token_ttl_s: int = 24 * 3600
    login_fail_limit: int = 5  # failed logins per user name within the window
    login_ip_limit: int = 30  # failed logins per client address within the window
    login_window_s: int = 300
    argon2_time_cost: int = 3  # argon2-cffi's defaults (RFC 9106 low-memory profile)
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    hash_concurrency: int = 2  # argon2 takes 64 MiB each: bound how many run at once
    pool_size: int = 24  # PostgreSQL connections per process for writes (half as many read)
    threads: int = 4  # worker threads for database handlers (see server/workers.py)
    file_threads: int = 8  # worker threads for photo uploads, which wait on the disk
    max_json_bytes: int = 4 << 20
    upload_ttl_s: int = 7 * 24 * 3600

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'server.db'}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from SURVEY_SERVER_<FIELD> variables, then `overrides` (None = not given)."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"SURVEY_SERVER_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        values.setdefault("data_dir", Path.cwd() / "server-data")
        values["data_dir"] = Path(values["data_dir"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The settings as SURVEY_SERVER_* variables (for worker processes)."""
        return {f"SURVEY_SERVER_{f.name.upper()}": str(getattr(self, f.name))
                for f in fields(self)}

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        return f"db={mask_url(self.database_url)} data={self.data_dir}"


def _convert(name: str, raw: str) -> object:
    if name in ("data_dir",):
        return Path(raw)
    if name == "db_url":
        return raw
    return int(raw)


def mask_url(url: str) -> str:
    """The URL with any password replaced by ***, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
