"""Raw HTTP against the test server, to send what a well-behaved client never would."""

from __future__ import annotations

import hashlib
import uuid

import httpx

from tests.sync.fieldwork import add_users
from tests.sync.support import JUDGED, Tenant

OPEN: list[httpx.Client] = []  # closed after each test (tests/server/conftest.py)


def login(tenant: Tenant, name: str | None = None, password: str | None = None) -> httpx.Client:
    """An httpx client logged in as the tenant's admin or one of its users."""
    username = tenant.admin if name is None else tenant.user(name)
    secret = password or (tenant.password if name is None else f"pw-{name}-123")
    client = httpx.Client(base_url=tenant.server.url, timeout=10)
    OPEN.append(client)
    reply = client.post("/auth/login", json={"username": username, "password": secret})
    reply.raise_for_status()
    client.headers["Authorization"] = "Bearer " + reply.json()["token"]
    return client


def staffed(tenant: Tenant) -> dict[str, httpx.Client]:
    add_users(tenant, {"office": "office", "sato": "surveyor", "suzuki": "surveyor"})
    return {n: login(tenant, n) for n in ("office", "sato", "suzuki")}


def ids() -> str:
    return str(uuid.uuid4())


def push(client: httpx.Client, *items: dict) -> list[dict]:
    reply = client.post("/push", json={"items": list(items)})
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]


def home(office: httpx.Client, assigned_to: str) -> dict:
    """A disaster, a building assigned to `assigned_to` and its survey, pushed by the office."""
    d, b, s = ids(), ids(), ids()
    results = push(
        office,
        {"kind": "disaster", "id": d, "name": "地震", "hazard": "earthquake",
         "occurred_on": "2024-01-01"},
        {"kind": "building", "id": b, "disaster_id": d,
         "fields": {"address": "輪島市1-1", "assigned_to": assigned_to}},
        {"kind": "survey", "id": s, "building_id": b, "stage": "first", "hazard": "earthquake"})
    assert [r["result"] for r in results] == ["created"] * 3, results
    return {"disaster": d, "building": b, "survey": s}


def version_item(survey: str, observations: dict, *, base: str | None = None,
                 photos: tuple[str, ...] = ()) -> dict:
    from survey_app.store.canonical import canonical, judged_tuple, version_content_hash

    judgement = {k: v for k, v in JUDGED.items() if k != "explanation"}
    return {"kind": "version", "id": ids(), "survey_id": survey, "base_version_id": base,
            "observations": observations, "judgement": judgement, "explanation": [],
            "created_at": "2024-01-02T00:00:00.000Z", "author": "t", "photos": list(photos),
            "content_hash": version_content_hash(canonical(observations),
                                                 judged_tuple(judgement))}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def batch_body(*items: tuple[str, bytes]) -> bytes:
    from survey_app.sync.protocol import encode_batch

    return b"".join(encode_batch(items))
