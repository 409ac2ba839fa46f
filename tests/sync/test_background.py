"""Sync in the background: it backs off while the server is unreachable and syncs as soon as
it is asked, without blocking the caller."""

from __future__ import annotations

import queue

from survey_app.services.sync import BackgroundSync, SyncEngine, SyncReport
from survey_app.services.workspace import Workspace
from survey_app.sync.http import Backoff
from tests.sync.fieldwork import Laptop, add_users, fast_backoff
from tests.sync.support import free_port


def test_back_off_grows_while_the_server_is_unreachable(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    results: queue.Queue[SyncReport] = queue.Queue()
    sync = BackgroundSync(lambda: SyncEngine(ws, url, username="u", password="p",
                                             backoff=fast_backoff(attempts=1)),
                          interval=60, on_result=results.put,
                          backoff=Backoff(base=0.05, cap=1.0))
    sync.start()
    try:
        first = results.get(timeout=10)
        assert not first.ok and first.error_code == "network"
        assert "サーバに接続できません" in first.message
        delays = [sync.backoff.delay(n) for n in range(6)]
        assert max(delays[:2]) <= 0.1 and delays[-1] >= 0.5  # grows up to the cap
        results.get(timeout=10)  # it retried by itself, well before the 60 s interval
        assert sync.failures >= 2
    finally:
        sync.stop()
        ws.close()


def test_a_trigger_syncs_now(tenant, tmp_path):
    add_users(tenant, {"office": "office"})
    office = Laptop(tmp_path, tenant, "office")
    office.disaster()
    office.engine.close()
    results: queue.Queue[SyncReport] = queue.Queue()
    sync = BackgroundSync(lambda: SyncEngine(
        Workspace(tmp_path / "office"), tenant.server.url, username=office.username,
        password="pw-office-123", backoff=fast_backoff()), interval=600, on_result=results.put)
    sync.start()
    try:
        assert results.get(timeout=20).agreed
        office.store.buildings.add(disaster_id=office.store.buildings.disasters()[0]["id"],
                                   address="輪島市2-2")
        sync.trigger()
        report = results.get(timeout=20)
        assert report.agreed and report.push.sent == 1
    finally:
        sync.stop()
        office.ws.close()
