"""The server tests share the sync suite's real server processes (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.sync.conftest import server, team, tenant  # noqa: F401 - fixtures
