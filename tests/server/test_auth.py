"""Who may call: every endpoint but /health needs a token; passwords are argon2 hashes,
tokens are kept only as SHA-256, failed logins are rate-limited, and neither ever reaches
the server's log."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from survey_app.services.sync import SyncEngine
from survey_app.services.workspace import Workspace
from survey_app.sync.client import SyncClient
from survey_app.sync.errors import AuthError
from tests.server.helpers import OPEN, login
from tests.sync.fieldwork import add_users, fast_backoff


def test_every_endpoint_but_health_requires_a_token(tenant):
    admin = login(tenant)
    spec = admin.get("/openapi.json").json()
    admin.close()
    anonymous = httpx.Client(base_url=tenant.server.url, timeout=10)
    OPEN.append(anonymous)
    assert anonymous.get("/health").json() == {"status": "ok"}
    assert anonymous.get("/openapi.json").status_code == 401
    checked = 0
    for path, methods in spec["paths"].items():
        for method in methods:
            if path in ("/health", "/auth/login"):
                continue
            url = path.replace("{sha}", "0" * 64).replace("{upload_id}", "0" * 36)
            url = url.replace("{conflict_id}", "x").replace("{survey_id}", "x")
            url = url.replace("{n}", "0")
            reply = anonymous.request(method.upper(), url, json={})
            assert reply.status_code == 401, (method, path, reply.text)
            assert reply.json()["error"] == "auth"
            checked += 1
    assert checked >= 15
    bogus = anonymous.get("/me", headers={"Authorization": "Bearer not-a-token"})
    assert bogus.status_code == 401


def test_wrong_password_is_refused_with_a_clear_japanese_message(tenant, tmp_path):
    add_users(tenant, {"sato": "surveyor"})
    ws = Workspace(tmp_path / "sato")
    engine = SyncEngine(ws, tenant.server.url, username=tenant.user("sato"),
                        password="wrong-password", backoff=fast_backoff())
    try:
        report = engine.sync_once()
    finally:
        engine.close()
        ws.close()
    assert not report.ok and report.error_code == "bad_credentials"
    assert "ユーザー名またはパスワードが違います" in report.message


def test_failed_logins_are_rate_limited(tenant):
    client = SyncClient.connect(tenant.server.url, backoff=fast_backoff(attempts=1))
    try:
        for _ in range(5):
            with pytest.raises(AuthError):
                client.login(tenant.admin, "not-the-password")
        reply = httpx.post(tenant.server.url + "/auth/login",
                           json={"username": tenant.admin, "password": tenant.password})
        assert reply.status_code == 429  # even the right password waits now
        assert int(reply.headers["retry-after"]) > 0
    finally:
        client.close()


def test_secrets_are_stored_hashed_and_never_logged(tenant):
    add_users(tenant, {"sato": "surveyor"})
    reply = httpx.post(tenant.server.url + "/auth/login",
                       json={"username": tenant.user("sato"), "password": "pw-sato-123"})
    token = reply.json()["token"]
    httpx.post(tenant.server.url + "/auth/login",
               json={"username": tenant.user("sato"), "password": "Secret-Typo-987"})
    users = tenant.server.query("SELECT password_hash FROM users WHERE username = ?",
                                (tenant.user("sato"),))
    assert users[0]["password_hash"].startswith("$argon2id$")
    stored = {r["token_hash"] for r in tenant.server.query("SELECT token_hash FROM tokens")}
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored
    log = tenant.server.log_text()
    for secret in ("pw-sato-123", "Secret-Typo-987", token, tenant.password):
        assert secret not in log
