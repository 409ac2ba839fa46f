"""A day of field work over a bad network: connections cut at random points by a proxy,
every request replayed, the server killed in the middle of an upload. Afterwards the server
holds exactly what the laptops hold: no survey version or photo lost, none duplicated."""

from __future__ import annotations

import hashlib

import pytest

from survey_app.server.blobs import blob_path
from tests.sync.fieldwork import Laptop, add_users, laptop_snapshot, photo_bytes, server_snapshot
from tests.sync.support import CuttingProxy, ReplayTransport, new_tenant

BIG = 600_000  # over the batch limit: goes up in 64 KiB chunks


def _fieldwork(team, *, homes: int = 4, seed: int = 0) -> list[str]:
    """The office assigns homes to both surveyors; each surveys its own with photos, and both
    edit one shared home (a merge). Returns the survey ids."""
    office, sato, suzuki = team["office"], team["sato"], team["suzuki"]
    disaster = office.disaster()
    surveys = []
    for i in range(homes):
        who = (sato, suzuki)[i % 2].username
        surveys.append(office.assign(disaster, f"輪島市鳳至町{i}-1", who)[1])
    shared = office.assign(disaster, "輪島市鳳至町99-1", f"{sato.username},{suzuki.username}")[1]
    _until_agreed(office)
    for lap in (sato, suzuki):
        _until_agreed(lap)
    for i, sid in enumerate(surveys):
        lap = (sato, suzuki)[i % 2]
        lap.photo(sid, photo_bytes(seed * 100 + i))
        lap.photo(sid, photo_bytes(seed * 100 + 50 + i, BIG if i == 0 else 2000), tag="基礎")
        lap.complete(sid, {"外壁": {"損傷率": 10 + i}})
    sato.complete(shared, {"外壁": {"損傷率": 5}})
    suzuki.complete(shared, {"屋根": {"損傷率": 7}})
    return [*surveys, shared]


def _until_agreed(lap: Laptop, tries: int = 25) -> None:
    for _ in range(tries):
        report = lap.sync()
        if report.ok and report.agreed:
            return
    raise AssertionError(f"{lap.name} never agreed: {report.message}")


def _assert_server_holds_exactly_the_laptops(team, tenant) -> None:
    server = server_snapshot(tenant)
    union = {k: set().union(*(laptop_snapshot(lap)[k] for lap in team.values()))
             for k in ("versions", "links", "blobs")}
    assert union["versions"] == server["versions"]
    assert union["links"] == server["links"]
    assert union["blobs"] == server["blobs"]
    for lap in team.values():
        heads = laptop_snapshot(lap)["heads"]
        assert heads <= server["heads"], lap.name  # a surveyor holds only their homes
    assert laptop_snapshot(team["office"])["heads"] == server["heads"]
    rows = tenant.server.query("SELECT count(*) AS n FROM survey_versions WHERE"
                               " municipality_code = ?", (tenant.code,))
    assert rows[0]["n"] == len(server["versions"])  # none duplicated
    blobs = tenant.server.settings.blob_dir
    for sha in server["blobs"]:
        data = blob_path(blobs, sha).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha


def _finish(team) -> None:
    for _ in range(2):  # a second round brings each laptop what the other sent after it
        for lap in team.values():
            _until_agreed(lap)


def test_connections_cut_at_random_points(team, tenant):
    proxy = CuttingProxy(tenant.server.port, seed=20240101, rate=1.0, max_bytes=200_000)
    try:
        for lap in team.values():
            lap.use_transport(proxy.url)
        _fieldwork(team, seed=1)
        _finish(team)
    finally:
        proxy.close()
    assert proxy.cuts >= 10
    _assert_server_holds_exactly_the_laptops(team, tenant)


def test_every_request_replayed(team, tenant):
    transports = {}
    for name, lap in team.items():
        transports[name] = ReplayTransport()
        lap.use_transport(tenant.server.url, transports[name])
    _fieldwork(team, seed=2)
    _finish(team)
    assert all(t.replayed >= 6 for t in transports.values()), {n: t.replayed for n, t in transports.items()}
    _assert_server_holds_exactly_the_laptops(team, tenant)


@pytest.fixture
def own_server(server, tmp_path):
    """A server of the same backend that this test may kill (the shared one must live on)."""
    from tests.sync.conftest import start_server, stop_server

    srv = start_server(server.backend, tmp_path / "own")
    yield srv
    stop_server(srv)


def test_server_killed_mid_upload_then_restarted(own_server, tmp_path):
    tenant = new_tenant(own_server)
    add_users(tenant, {"office": "office", "sato": "surveyor"})
    office, sato = Laptop(tmp_path, tenant, "office"), Laptop(tmp_path, tenant, "sato")
    try:
        disaster = office.disaster()
        _, survey = office.assign(disaster, "輪島市門前町1-1", sato.username)
        _until_agreed(office)
        _until_agreed(sato)
        sha = sato.photo(survey, photo_bytes(7, 1_500_000))
        sato.complete(survey, {"浸水深": {"床上_cm": 45}})

        def kill_midway(progress) -> None:  # noqa: ANN001 - SyncProgress
            if progress.phase == "photos" and progress.bytes_done >= 500_000:
                own_server.kill()

        sato.engine.board.on_progress = kill_midway
        report = sato.sync()
        assert not report.ok and report.error_code == "network"
        assert sato.engine.survey_state(survey).label == "送信待ち"
        sato.engine.board.on_progress = None
        own_server.start()
        report = sato.sync()
        assert report.ok and report.agreed, report.message
        assert report.push.resumed_chunks >= 7  # the chunks acknowledged before the kill
        _until_agreed(office)
        assert office.ws.blobs.verify(sha)
        team = {"office": office, "sato": sato}
        _assert_server_holds_exactly_the_laptops(team, tenant)
    finally:
        office.close()
        sato.close()
