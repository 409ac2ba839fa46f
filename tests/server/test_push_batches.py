"""One push batch whose items build on each other: the rows the server reads up front for the
whole batch (server/batch_rows.py) must never hide what an earlier item of the same batch wrote,
nor what a refused item took back."""

from __future__ import annotations

from tests.server.helpers import batch_body, home, ids, push, sha, staffed, version_item


def _link(survey: str, digest: str, tag: str) -> dict:
    return {"kind": "photo_link", "survey_id": survey, "sha256": digest, "tag": tag,
            "note": "", "meta": {}}


def _upload(client, *datas: bytes) -> None:  # noqa: ANN001 - httpx.Client
    reply = client.post("/blobs/batch", content=batch_body(*((sha(d), d) for d in datas)))
    assert reply.status_code == 200, reply.text


def test_items_of_one_batch_see_what_the_earlier_ones_wrote(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    photo = b"the crack above the door"
    _upload(staff["sato"], photo)
    first = version_item(place["survey"], {"浸水深": 30})
    second = version_item(place["survey"], {"浸水深": 45}, base=first["id"])
    results = push(staff["sato"], first, second,
                   _link(place["survey"], sha(photo), "外観"),
                   _link(place["survey"], sha(photo), "外観・北"))
    # The second version is based on the first: a fast-forward only if the head the batch
    # read up front was read again after the first moved it.
    assert [r["result"] for r in results] == ["created", "created", "created", "updated"]
    head = tenant.server.query("SELECT head_version_id FROM surveys WHERE id = ?",
                               (place["survey"],))
    assert head[0]["head_version_id"] == second["id"]
    tags = tenant.server.query("SELECT tag FROM photo_links WHERE survey_id = ?",
                               (place["survey"],))
    assert [r["tag"] for r in tags] == ["外観・北"]


def test_a_building_and_its_survey_made_in_one_batch(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    building, survey = ids(), ids()
    results = push(
        staff["sato"],
        {"kind": "building", "id": building, "disaster_id": place["disaster"],
         "fields": {"address": "輪島市2-2", "assigned_to": ""}},
        {"kind": "survey", "id": survey, "building_id": building, "stage": "first",
         "hazard": "earthquake"})
    # The building was read as absent before the batch ran; the survey must see it made.
    assert [r["result"] for r in results] == ["created", "created"]


def test_a_refused_item_takes_back_nothing_of_the_others(tenant):
    staff = staffed(tenant)
    mine = home(staff["office"], tenant.user("sato"))
    theirs = home(staff["office"], tenant.user("suzuki"))
    photo = b"the tilted wall"
    _upload(staff["sato"], photo)
    version = version_item(mine["survey"], {"浸水深": 10})
    results = push(staff["sato"], version,
                   _link(theirs["survey"], sha(photo), "外観"),  # not sato's home
                   _link(mine["survey"], sha(photo), "外観"))
    assert [r["result"] for r in results] == ["created", "rejected", "created"]
    assert results[1]["code"] == "not_found"
    assert tenant.server.query("SELECT id FROM survey_versions WHERE id = ?", (version["id"],))
    assert not tenant.server.query("SELECT 1 AS x FROM photo_links WHERE survey_id = ?",
                                   (theirs["survey"],))
    # The same batch again: every item is already there, and nothing is written twice.
    again = push(staff["sato"], version, _link(mine["survey"], sha(photo), "外観"))
    assert [r["result"] for r in again] == ["already", "already"]
