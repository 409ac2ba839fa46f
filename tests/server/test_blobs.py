"""Photos are refused unless their bytes match their hash, records are refused without their
photos, and request bodies are bounded. What is refused is not stored."""

from __future__ import annotations

import hashlib

import httpx

from survey_app.server.blobs import blob_path
from tests.server.helpers import batch_body, home, push, sha, staffed, version_item


def _held(tenant, digest: str) -> bool:
    return bool(tenant.server.query(
        "SELECT 1 AS x FROM blob_owners WHERE sha256 = ? AND municipality_code = ?",
        (digest, tenant.code)))


def _file(tenant, digest: str):  # noqa: ANN202 - Path
    return blob_path(tenant.server.settings.blob_dir, digest)


def test_a_batch_blob_whose_bytes_do_not_match_is_refused(tenant):
    office = staffed(tenant)["office"]
    good, bad = b"good photo", b"tampered photo"
    claimed = sha(b"the original photo")
    reply = office.post("/blobs/batch", content=batch_body((sha(good), good), (claimed, bad)))
    results = {r["sha256"]: r["result"] for r in reply.json()["results"]}
    assert results == {sha(good): "stored", claimed: "rejected"}
    assert _held(tenant, sha(good)) and not _held(tenant, claimed)
    assert not _file(tenant, claimed).exists()
    assert office.post("/blobs/missing", json={"shas": [claimed]}).json()["missing"] == [claimed]
    garbage = office.post("/blobs/batch", content=b"not a batch at all")
    assert garbage.status_code == 422 and garbage.json()["error"] == "bad_batch"


def test_chunked_upload_verifies_each_chunk_and_the_whole_file(tenant):
    office = staffed(tenant)["office"]
    data = bytes(range(256)) * 600  # 153,600 bytes: three 64 KiB chunks
    real = sha(data)
    up = office.post("/uploads", json={"sha256": real, "size": len(data)}).json()
    chunk = up["chunk_size"]
    first = data[:chunk]
    wrong = office.put(f"/uploads/{up['upload_id']}/chunks/0", content=first,
                       headers={"X-Chunk-SHA256": "0" * 64})
    assert wrong.status_code == 422 and wrong.json()["error"] == "chunk_mismatch"
    early = office.post(f"/uploads/{up['upload_id']}/commit")
    assert early.status_code == 409 and early.json()["error"] == "incomplete"
    # Chunks that are each intact but are not the file announced: the commit refuses them.
    forged = bytes(reversed(data))
    for n in range(3):
        part = forged[n * chunk:(n + 1) * chunk]
        ok = office.put(f"/uploads/{up['upload_id']}/chunks/{n}", content=part,
                        headers={"X-Chunk-SHA256": hashlib.sha256(part).hexdigest()})
        assert ok.json() == {"n": n, "size": len(part), "sha256": sha(part)}
    status = office.get(f"/uploads/{up['upload_id']}").json()
    assert status["received"] == [0, 1, 2]
    commit = office.post(f"/uploads/{up['upload_id']}/commit")
    assert commit.status_code == 422 and commit.json()["error"] == "hash_mismatch"
    assert not _held(tenant, real) and not _file(tenant, real).exists()
    assert not _file(tenant, sha(forged)).exists()


def test_a_version_without_its_photos_is_refused(tenant):
    staff = staffed(tenant)
    place = home(staff["office"], tenant.user("sato"))
    photo = b"the flood line on the wall"
    item = version_item(place["survey"], {"浸水深": 45}, photos=(sha(photo),))
    [result] = push(staff["sato"], item)
    assert (result["result"], result["code"]) == ("rejected", "missing_blobs")
    assert result["missing"] == [sha(photo)]
    assert not tenant.server.query("SELECT id FROM survey_versions WHERE id = ?", (item["id"],))
    staff["sato"].post("/blobs/batch", content=batch_body((sha(photo), photo)))
    assert push(staff["sato"], item)[0]["result"] == "created"
    assert push(staff["sato"], item)[0]["result"] == "already"
    changed = {**item, "observations": {"浸水深": 90}}
    [clash] = push(staff["sato"], changed)
    assert clash["code"] == "hash_mismatch"  # content hash no longer matches the content
    changed = version_item(place["survey"], {"浸水深": 90}, photos=(sha(photo),))
    [clash] = push(staff["sato"], {**changed, "id": item["id"]})
    assert clash["code"] == "id_conflict"
    rows = tenant.server.query("SELECT observations FROM survey_versions WHERE id = ?",
                               (item["id"],))
    assert [r["observations"] for r in rows] == ['{"浸水深":45}']


def test_request_bodies_are_bounded(tenant):
    office = staffed(tenant)["office"]
    huge = b"x" * ((4 << 20) + 1)
    reply = office.post("/push", content=huge, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413 and reply.json()["error"] == "too_large"

    def stream():  # no Content-Length: the server must count
        for _ in range(70):
            yield b"y" * 65536

    chunked = office.post("/blobs/missing", content=stream(),
                          headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    up = office.post("/uploads", json={"sha256": "1" * 64, "size": 10 << 20}).json()
    big = office.put(f"/uploads/{up['upload_id']}/chunks/0", content=b"z" * (up["chunk_size"] + 1),
                     headers={"X-Chunk-SHA256": "0" * 64})
    assert big.status_code == 413
    assert httpx.get(office.base_url.join("/health")).status_code == 200


def test_a_photo_stored_in_the_earlier_two_level_layout_is_still_found(tenant):
    """The server used to store photos at aa/bb/<sha>: they are served from there and are
    not stored a second time."""
    office = staffed(tenant)["office"]
    data = b"a photo stored by an earlier version"
    digest = sha(data)
    assert office.post("/blobs/batch", content=batch_body((digest, data))).status_code == 200
    earlier = tenant.server.settings.blob_dir / digest[:2] / digest[2:4] / digest
    earlier.parent.mkdir()
    _file(tenant, digest).rename(earlier)

    assert office.get(f"/blobs/{digest}").content == data
    again = office.post("/blobs/batch", content=batch_body((digest, data)))
    assert again.json()["results"] == [{"sha256": digest, "result": "already"}]
    assert not _file(tenant, digest).exists() and earlier.read_bytes() == data
