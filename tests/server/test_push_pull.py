"""A push that also asks for the first page of changes (the last push of a laptop's sync):
its reply carries exactly what GET /changes would answer next, read after the push's commit,
without the laptop's own changes; a bad request for it is refused before anything is stored."""

from __future__ import annotations

from tests.server.helpers import home, staffed, version_item

DEVICE = {"X-Device-Id": "laptop-of-sato"}


def test_the_page_is_what_get_changes_answers_after_the_push(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    sato = staff["sato"]
    item = version_item(place["survey"], {"浸水深": 30})
    ask = {"since": 0, "limit": 500, "summary": True}
    reply = sato.post("/push", json={"items": [item], "pull": ask}, headers=DEVICE)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert [r["result"] for r in body["results"]] == ["created"]

    page = body["changes"]
    again = sato.get("/changes", params={**ask, "summary": "true"}, headers=DEVICE)
    assert page == again.json()
    # The office's records come down; the version this laptop just sent does not.
    assert {c["entity"] for c in page["changes"]} == {"disaster", "building", "survey"}
    assert item["id"] not in {c["id"] for c in page["changes"]}
    # Read after the commit: the summary already counts the new version.
    assert page["summary"]["kinds"]["versions"]["count"] == 1
    assert page["summary"]["rev"] == page["head_rev"] == page["next_since"]


def test_a_push_that_asks_nothing_answers_only_its_results(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    reply = staff["sato"].post("/push", json={"items": [version_item(place["survey"], {})]})
    assert reply.status_code == 200, reply.text
    assert set(reply.json()) == {"results"}


def test_a_bad_request_for_the_page_is_refused_before_anything_is_stored(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    item = version_item(place["survey"], {"浸水深": 45})
    for ask in ({"since": -1}, {"since": 0, "limit": 0}, {"since": "zero"}):
        reply = staff["sato"].post("/push", json={"items": [item], "pull": ask})
        assert reply.status_code == 422, (ask, reply.text)
    head = tenant.server.query("SELECT head_version_id FROM surveys WHERE id = ?",
                               (place["survey"],))
    assert head[0]["head_version_id"] is None
