"""Fixtures: a real server process per backend (SQLite, PostgreSQL) shared by the session, a
fresh municipality per test on it, and laptops (real Workspaces in temp folders)."""

from __future__ import annotations

import pytest

from tests.sync.fieldwork import Laptop, add_users
from tests.sync.support import ServerProcess, new_tenant, pg_create, pg_drop


def start_server(backend: str, root) -> ServerProcess:  # noqa: ANN001 - a Path
    if backend == "postgresql":
        try:
            url = pg_create()
        except RuntimeError as err:
            pytest.fail(str(err), pytrace=False)
    else:
        url = f"sqlite:///{root / 'server.db'}"
    return ServerProcess(backend, url, root / "data").start()


def stop_server(server: ServerProcess) -> None:
    server.stop()
    if server.backend == "postgresql":
        pg_drop(server.db_url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    srv = start_server(request.param, tmp_path_factory.mktemp(f"server-{request.param}"))
    yield srv
    stop_server(srv)


@pytest.fixture
def tenant(server):
    return new_tenant(server)


@pytest.fixture
def team(tenant, tmp_path):
    """The office and two surveyors of one municipality, each on their own laptop."""
    add_users(tenant, {"office": "office", "sato": "surveyor", "suzuki": "surveyor"})
    laptops = {name: Laptop(tmp_path, tenant, name) for name in ("office", "sato", "suzuki")}
    yield laptops
    for lap in laptops.values():
        lap.close()
