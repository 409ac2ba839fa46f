"""The checks of test_crash_sync.py: the laptop's store after a kill, its outbox against
the server, the server's files after a kill, and the exact agreement at the end."""

from __future__ import annotations

import hashlib
import re

from survey_app.server.blobs import blob_path
from survey_app.services.workspace import Workspace
from tests.release.test_crash import check_store as check_local_store
from tests.sync.fieldwork import Laptop, laptop_snapshot, server_snapshot
from tests.sync.support import ServerProcess, Tenant

_SHA = re.compile(r"[0-9a-f]{64}")


def local_facts(ws: Workspace) -> dict[str, set]:
    db = ws.store.db
    return {
        "versions": set(db.execute("SELECT id, content_hash FROM survey_versions").fetchall()),
        "links": {f"{s}:{h}" for s, h in db.execute("SELECT survey_id, sha256 FROM"
                                                     " survey_photos").fetchall()},
        "heads": set(db.execute("SELECT id, head_version_id FROM surveys").fetchall()),
        "buildings": {r[0] for r in db.execute("SELECT id FROM buildings")},
        "blobs": set(ws.blobs.iter_shas()),
    }


def server_facts(tenant: Tenant) -> dict:
    q, code = tenant.server.query, (tenant.code,)
    return {
        "versions": {r["id"]: r["content_hash"] for r in q(
            "SELECT id, content_hash FROM survey_versions WHERE municipality_code = ?", code)},
        "links": {f"{r['survey_id']}:{r['sha256']}" for r in q(
            "SELECT survey_id, sha256 FROM photo_links WHERE municipality_code = ?"
            " AND deleted = 0", code)},
        "surveys": {r["id"] for r in q("SELECT id FROM surveys WHERE municipality_code = ?",
                                       code)},
        "buildings": {r["id"] for r in q("SELECT id FROM buildings WHERE municipality_code = ?",
                                         code)},
        "disasters": {r["id"] for r in q("SELECT id FROM disasters WHERE municipality_code = ?",
                                         code)},
        "blobs": {r["sha256"] for r in q("SELECT sha256 FROM blob_owners WHERE"
                                         " municipality_code = ?", code)},
        "conflicts": q("SELECT id, kind FROM conflicts WHERE municipality_code = ?", code),
    }


def check_laptop(ws: Workspace, before: dict[str, set], server: dict) -> None:
    """The store is sound, nothing it held is gone, its outbox lost nothing."""
    check_local_store_allowing_pending_downloads(ws, server)
    after = local_facts(ws)
    for key in ("versions", "links", "heads", "buildings", "blobs"):
        assert before[key] <= after[key], (key, before[key] - after[key])
    check_outbox(ws, server)


def check_local_store_allowing_pending_downloads(ws: Workspace, server: dict) -> None:
    """test_crash.py's checks, except that a photo pulled from the server may wait for its
    original (the next sync downloads it): such a photo must then be on the server."""
    pending = set(ws.store.photos.all_shas()) - set(ws.blobs.iter_shas())
    assert pending <= server["blobs"], pending - server["blobs"]
    if not pending:
        check_local_store(ws)
        return
    assert ws.store.integrity_ok()
    assert ws.store.audit.verify().ok
    assert all(ws.blobs.verify(sha) for sha in ws.blobs.iter_shas())
    for path in ws.blobs.root.rglob("*"):
        if path.is_file() and not _SHA.fullmatch(path.name):
            assert path.parent == ws.blobs.root and path.name.startswith(".incoming-"), path


def check_outbox(ws: Workspace, server: dict) -> None:
    """Every record no longer waiting in the outbox is on the server, as the laptop has it."""
    db = ws.store.db
    waiting = set(db.execute("SELECT kind, entity_id FROM sync_outbox").fetchall())
    for vid, content_hash in db.execute("SELECT id, content_hash FROM survey_versions"):
        if ("version", vid) not in waiting:
            assert server["versions"].get(vid) == content_hash, ("version lost", vid)
    for sid, sha in db.execute("SELECT survey_id, sha256 FROM survey_photos"):
        if ("photo_link", f"{sid}:{sha}") not in waiting:
            assert f"{sid}:{sha}" in server["links"], ("photo link lost", sid, sha)
            assert sha in server["blobs"], ("photo lost", sha)
    for kind, table in (("survey", "surveys"), ("building", "buildings"),
                        ("disaster", "disasters")):
        for (key,) in db.execute(f"SELECT id FROM {table}"):
            if (kind, key) not in waiting:
                assert key in server[table], (f"{kind} lost", key)


def check_server_invented_nothing(office: Laptop, server: dict, ws: Workspace) -> None:
    """Each version on the server was made on a laptop and arrived once: no merge versions,
    no conflicts from a replayed push."""
    made = {v for v, _ in laptop_snapshot(office)["versions"]}
    made |= {v for v, _ in local_facts(ws)["versions"]}
    assert set(server["versions"]) <= made, set(server["versions"]) - made
    assert server["conflicts"] == []


def check_server_files(server: ServerProcess) -> None:
    """After a SIGKILL of the server: its database is sound, every photo it lists is on its
    disk with the right bytes, and no half-written file carries a photo's name."""
    rows = server.query("PRAGMA integrity_check")
    assert list(rows[0].values()) == ["ok"]
    root = server.settings.blob_dir
    for path in root.rglob("*"):
        if path.is_file() and not path.name.startswith(".incoming-"):
            assert _SHA.fullmatch(path.name), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path
    for row in server.query("SELECT sha256 FROM blobs"):
        sha = row["sha256"]
        assert blob_path(root, sha).is_file(), sha


def assert_server_holds_exactly_the_laptops(tenant: Tenant, office: Laptop, sato: Laptop
                                            ) -> None:
    """No survey, version or photo lost or duplicated on the server, every photo intact."""
    server = server_snapshot(tenant)
    laptops = [laptop_snapshot(office), laptop_snapshot(sato)]
    for key in ("versions", "links", "blobs"):
        union = set().union(*(snap[key] for snap in laptops))
        assert union == server[key], (key, union ^ server[key])
    assert laptops[0]["heads"] == server["heads"] and laptops[1]["heads"] <= server["heads"]
    q, code = tenant.server.query, (tenant.code,)
    counts = {t: q(f"SELECT count(*) AS n FROM {t} WHERE municipality_code = ?", code)[0]["n"]
              for t in ("survey_versions", "surveys", "photo_links", "conflicts")}
    assert counts == {"survey_versions": len(server["versions"]),
                      "surveys": len(server["heads"]), "photo_links": len(server["links"]),
                      "conflicts": 0}
    for sha in server["blobs"]:
        assert sato.ws.blobs.verify(sha) and office.ws.blobs.verify(sha)
