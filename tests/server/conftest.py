"""The server tests share the sync suite's real server processes (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.server.helpers import OPEN
from tests.sync.conftest import server, team, tenant  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while OPEN:
        OPEN.pop().close()
