"""Roles and municipalities: a surveyor cannot use office or admin endpoints, and nobody sees
or touches another municipality's data (it is simply not found)."""

from __future__ import annotations

from tests.server.helpers import batch_body, home, ids, login, push, sha, staffed, version_item
from tests.sync.support import new_tenant


def test_a_surveyor_cannot_use_office_or_admin_endpoints(tenant):
    staff = staffed(tenant)
    sato = staff["sato"]
    place = home(staff["office"], tenant.user("sato"))
    assert sato.get("/conflicts").status_code == 403
    assert sato.post("/conflicts/x/resolve", json={"choice": "ours"}).status_code == 403
    reply = sato.post("/admin/users", json={"username": "evil", "password": "12345678",
                                            "role": "admin"})
    assert reply.status_code == 403 and reply.json()["error"] == "forbidden_role"
    assert staff["office"].post("/admin/users", json={
        "username": "evil2", "password": "12345678", "role": "admin"}).status_code == 403
    [status] = push(sato, {"kind": "status", "survey_id": place["survey"],
                           "status": "resurvey_requested"})
    assert (status["result"], status["code"]) == ("rejected", "forbidden_role")
    [disaster] = push(sato, {"kind": "disaster", "id": ids(), "name": "x", "hazard": "flood",
                             "occurred_on": "2024-07-01"})
    assert disaster["code"] == "forbidden_role"
    assert sato.delete(f"/surveys/{place['survey']}/photos/{'0' * 64}").status_code == 403


def test_a_surveyor_sees_only_assigned_homes(tenant):
    staff = staffed(tenant)
    mine = home(staff["office"], tenant.user("sato"))
    theirs = home(staff["office"], tenant.user("suzuki"))
    pulled = staff["sato"].get("/changes", params={"since": 0}).json()["changes"]
    seen = {c["id"] for c in pulled}
    assert mine["survey"] in seen and theirs["survey"] not in seen
    [v] = push(staff["sato"], version_item(theirs["survey"], {"a": 1}))
    assert (v["result"], v["code"]) == ("rejected", "not_found")
    assert not tenant.server.query("SELECT id FROM survey_versions WHERE survey_id = ?",
                                   (theirs["survey"],))


def test_another_municipality_is_invisible(tenant, server):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    data = b"evidence photo bytes"
    staff["office"].post("/blobs/batch", content=batch_body((sha(data), data)))
    other = new_tenant(server)
    stranger = login(other)  # the other municipality's admin: the highest role there
    for item in ({"kind": "survey", "id": ids(), "building_id": place["building"],
                  "stage": "first", "hazard": "earthquake"},
                 version_item(place["survey"], {"x": 1}),
                 {"kind": "building", "id": place["building"], "disaster_id": place["disaster"],
                  "fields": {"address": "乗っ取り"}}):
        [result] = push(stranger, item)
        assert result["result"] == "rejected", result
        assert result["code"] in ("not_found", "unknown_disaster"), result
    assert stranger.get(f"/blobs/{sha(data)}").status_code == 404
    assert stranger.post("/blobs/missing", json={"shas": [sha(data)]}).json() == {
        "missing": [sha(data)]}
    assert stranger.get("/changes", params={"since": 0}).json()["changes"] == []
    summary = stranger.get("/sync/summary").json()["kinds"]
    assert all(k["count"] == 0 for k in summary.values())
    assert stranger.get("/conflicts").json() == {"conflicts": []}
    rows = tenant.server.query("SELECT fields FROM buildings WHERE id = ?", (place["building"],))
    assert "乗っ取り" not in rows[0]["fields"]
