"""Small field data for the sync tests, made with the store's own API on real laptops (each a
Workspace in a temp folder), and the snapshots compared after a sync."""

from __future__ import annotations

import random
from pathlib import Path

from survey_app.services.sync import SyncEngine, device_id
from survey_app.services.workspace import Workspace
from survey_app.sync.client import SyncClient
from survey_app.sync.http import Backoff
from tests.sync.support import JUDGED, Tenant


def fast_backoff(seed: int = 1, attempts: int = 8) -> Backoff:
    return Backoff(base=0.02, cap=0.3, attempts=attempts, rng=random.Random(seed))


def add_users(tenant: Tenant, users: dict[str, str]) -> None:
    admin = SyncClient.connect(tenant.server.url, backoff=fast_backoff())
    try:
        admin.login(tenant.admin, tenant.password)
        for name, role in users.items():
            admin.admin_add_user(tenant.user(name), "pw-" + name + "-123", role)
    finally:
        admin.close()


class Laptop:
    """A laptop: its Workspace and a sync engine logged in as one user."""

    def __init__(self, root: Path, tenant: Tenant, name: str, *, url: str | None = None,
                 **engine_kw: object) -> None:
        self.name = name
        self.username = tenant.user(name)
        self.ws = Workspace(root / name, actor=self.username)
        engine_kw.setdefault("backoff", fast_backoff())
        self.engine = SyncEngine(self.ws, url or tenant.server.url, username=self.username,
                                 password="pw-" + name + "-123", **engine_kw)

    def use_transport(self, url: str, transport=None) -> None:  # noqa: ANN001 - httpx transport
        """Talk to the server through `url` (a proxy) and/or a custom httpx transport."""
        self.engine.client.close()
        self.engine.client = SyncClient.connect(url, device_id=device_id(self.ws),
                                                transport=transport, backoff=fast_backoff())

    @property
    def store(self):  # noqa: ANN201 - survey_app.store.db.Store
        return self.ws.store

    def sync(self):  # noqa: ANN201 - SyncReport
        return self.engine.sync_once()

    def close(self) -> None:
        self.engine.close()
        self.ws.close()

    # -- making data ------------------------------------------------------------------------

    def disaster(self) -> str:
        return self.store.buildings.create_disaster(
            name="令和6年能登半島地震", hazard="earthquake", occurred_on="2024-01-01",
            municipality_code="172049", municipality_name="輪島市", actor=self.username)

    def assign(self, disaster_id: str, address: str, assigned_to: str) -> tuple[str, str]:
        bid = self.store.buildings.add(disaster_id=disaster_id, address=address,
                                       owner_name="山田 太郎", owner_kana="やまだ たろう",
                                       area="河井町", assigned_to=assigned_to,
                                       actor=self.username)
        sid = self.store.surveys.create(building_id=bid, stage="first", hazard="earthquake",
                                        surveyor=assigned_to, actor=self.username)
        return bid, sid

    def complete(self, survey_id: str, observations: dict, judgement: dict | None = None
                 ) -> str:
        head = self.store.surveys.get(survey_id)["head_version_id"]
        return self.store.surveys.complete(survey_id, observations=observations,
                                           judgement=judgement or JUDGED, author=self.username,
                                           base_version_id=head)

    def photo(self, survey_id: str, data: bytes, tag: str = "外観") -> str:
        ref = self.ws.blobs.put_bytes(data)
        self.store.photos.add(ref.sha256, actor=self.username, size=ref.size,
                              mime="image/jpeg", original_name=f"{ref.sha256[:8]}.jpg")
        self.store.photos.attach(survey_id, ref.sha256, tag=tag, actor=self.username)
        return ref.sha256

    def head(self, survey_id: str) -> str | None:
        return self.store.surveys.get(survey_id)["head_version_id"]

    def observations(self, survey_id: str) -> dict:
        return self.store.surveys.version(self.head(survey_id))["observations"]


def photo_bytes(seed: int, size: int = 3000) -> bytes:
    return random.Random(seed).randbytes(size)


def laptop_snapshot(lap: Laptop) -> dict[str, set]:
    db = lap.store.db
    return {
        "versions": set(db.execute("SELECT id, content_hash FROM survey_versions").fetchall()),
        "links": set(db.execute("SELECT survey_id, sha256, tag FROM survey_photos").fetchall()),
        "heads": set(db.execute("SELECT id, head_version_id FROM surveys").fetchall()),
        "blobs": set(lap.ws.blobs.iter_shas()),
    }


def server_snapshot(tenant: Tenant) -> dict[str, set]:
    q = tenant.server.query
    code = (tenant.code,)
    return {
        "versions": {(r["id"], r["content_hash"]) for r in q(
            "SELECT id, content_hash FROM survey_versions WHERE municipality_code = ?", code)},
        "links": {(r["survey_id"], r["sha256"], r["tag"]) for r in q(
            "SELECT survey_id, sha256, tag FROM photo_links WHERE municipality_code = ?"
            " AND deleted = 0", code)},
        "heads": {(r["id"], r["head_version_id"]) for r in q(
            "SELECT id, head_version_id FROM surveys WHERE municipality_code = ?", code)},
        "blobs": {r["sha256"] for r in q(
            "SELECT sha256 FROM blob_owners WHERE municipality_code = ?", code)},
    }
