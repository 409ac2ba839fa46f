"""Revisions under concurrency: while many laptops push at once, a reader pulling "changes
since my cursor" over and over never skips a change that committed late."""

from __future__ import annotations

import threading

from tests.server.helpers import home, ids, login, push, staffed, version_item


def test_a_cursor_never_skips_a_change_while_others_push(tenant):
    office = staffed(tenant)["office"]
    homes = [home(office, tenant.user("sato")) for _ in range(6)]
    pushed: list[str] = []
    lock = threading.Lock()

    def laptop(place: dict) -> None:
        client = login(tenant, "sato")
        base = None
        for n in range(8):
            item = version_item(place["survey"], {"回": n, "id": ids()}, base=base)
            assert push(client, item)[0]["result"] == "created"
            base = item["id"]
            with lock:
                pushed.append(item["id"])

    reader = login(tenant, "office")
    seen: set[str] = set()
    since = 0

    def pull_once() -> None:
        nonlocal since
        while True:
            page = reader.get("/changes", params={"since": since, "limit": 7}).json()
            seen.update(c["id"] for c in page["changes"] if c["entity"] == "version")
            revs = [c["rev"] for c in page["changes"]]
            assert revs == sorted(revs) and all(r > since for r in revs)
            since = page["next_since"]
            if not page["more"]:
                return

    threads = [threading.Thread(target=laptop, args=(p,)) for p in homes]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        pull_once()
    for t in threads:
        t.join()
    pull_once()
    assert len(pushed) == 48
    assert seen == set(pushed)
