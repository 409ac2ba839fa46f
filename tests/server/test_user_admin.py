"""User administration on a real server process (SQLite and PostgreSQL): a disabled user and an
expired lent account (応援職員) can neither sign in nor use a token they already hold, and are
told why in Japanese; admins act only on their own municipality; surveyors not at all; and
`survey-app users …` does the same from the command line, password on stdin."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import httpx
import pytest

from survey_app.server.accounts import JST
from survey_app.server.auth import TokenCache, User
from survey_app.server.db import Database
from survey_app.server.migrations import MIGRATIONS, apply_migrations
from survey_app.sync.client import SyncClient
from survey_app.sync.errors import AuthError
from tests.server.helpers import OPEN, login, staffed
from tests.sync.fieldwork import add_users, fast_backoff
from tests.sync.support import REPO, TEST_ENV, new_tenant, pg_create, pg_drop


def _today() -> dt.date:
    return dt.datetime.now(JST).date()


def _token_client(tenant, username: str, password: str) -> httpx.Client:
    """A client holding a token of `username`, already used once (so the server caches it)."""
    client = httpx.Client(base_url=tenant.server.url, timeout=10)
    OPEN.append(client)
    reply = client.post("/auth/login", json={"username": username, "password": password})
    assert reply.status_code == 200, reply.text
    client.headers["Authorization"] = "Bearer " + reply.json()["token"]
    assert client.get("/me").status_code == 200
    return client


def _login(tenant, username: str, password: str) -> httpx.Response:
    return httpx.post(tenant.server.url + "/auth/login",
                      json={"username": username, "password": password}, timeout=10)


def _set_until(tenant, username: str, day: dt.date) -> None:
    """Time passing: the last day moved into the past behind the server's back, as if the
    calendar had moved on (the API refuses a last day that is already past)."""
    db = Database(tenant.server.settings.database_url, pool_size=1)
    try:
        with db.write() as conn:
            conn.execute("UPDATE users SET valid_until = ? WHERE username = ?",
                         (day.isoformat(), username))
    finally:
        db.close()


def test_a_disabled_user_cannot_sign_in_and_their_token_stops_at_once(tenant):
    admin = login(tenant)
    add_users(tenant, {"sato": "surveyor"})
    sato = _token_client(tenant, tenant.user("sato"), "pw-sato-123")
    reply = admin.patch(f"/admin/users/{tenant.user('sato')}", json={"active": False})
    assert reply.status_code == 200 and reply.json()["state"] == "disabled"
    refused = sato.get("/me")  # the token was cached by the server a moment ago
    assert refused.status_code == 401 and refused.json()["error"] == "account_disabled"
    assert "無効" in refused.json()["detail"]
    assert _login(tenant, tenant.user("sato"), "pw-sato-123").json()["error"] == \
        "account_disabled"
    # A wrong password on a disabled account says no more than on any other.
    assert _login(tenant, tenant.user("sato"), "wrong-pass-1").json()["error"] == \
        "bad_credentials"
    client = SyncClient.connect(tenant.server.url, backoff=fast_backoff(attempts=1))
    try:
        with pytest.raises(AuthError) as caught:
            client.login(tenant.user("sato"), "pw-sato-123")
    finally:
        client.close()
    assert caught.value.code == "account_disabled"
    assert "無効にされています" in caught.value.message
    assert admin.patch(f"/admin/users/{tenant.user('sato')}",
                       json={"active": True}).json()["state"] == "active"
    assert _login(tenant, tenant.user("sato"), "pw-sato-123").status_code == 200
    assert sato.get("/me").status_code == 401  # its old token is gone for good


def test_an_expired_lent_account_cannot_sign_in_nor_use_its_token(tenant):
    admin = login(tenant)
    name = tenant.user("ouen")
    added = admin.post("/admin/users", json={
        "username": name, "password": "pw-ouen-123", "role": "surveyor",
        "valid_until": _today().isoformat(), "home_municipality": "仙台市 (041009)"}).json()
    assert (added["valid_until"], added["home_municipality"], added["state"]) == \
        (_today().isoformat(), "仙台市 (041009)", "active")
    ouen = httpx.Client(base_url=tenant.server.url, timeout=10)
    OPEN.append(ouen)
    token = _login(tenant, name, "pw-ouen-123").json()["token"]
    ouen.headers["Authorization"] = f"Bearer {token}"
    yesterday = _today() - dt.timedelta(days=1)
    _set_until(tenant, name, yesterday)
    refused = ouen.get("/me")
    assert refused.status_code == 401 and refused.json()["error"] == "account_expired"
    assert f"有効期限 ({yesterday.isoformat()}) が過ぎています" in refused.json()["detail"]
    assert _login(tenant, name, "pw-ouen-123").json()["error"] == "account_expired"
    [row] = [u for u in admin.get("/admin/users").json()["users"] if u["username"] == name]
    assert row["state"] == "expired"
    past = admin.patch(f"/admin/users/{name}", json={"valid_until": yesterday.isoformat()})
    assert past.status_code == 422 and past.json()["error"] == "until_past"
    later = (_today() + dt.timedelta(days=30)).isoformat()
    assert admin.patch(f"/admin/users/{name}", json={"valid_until": later}).json()["state"] \
        == "active"
    assert _login(tenant, name, "pw-ouen-123").status_code == 200


def test_a_password_reset_signs_the_user_out_everywhere(tenant):
    admin = login(tenant)
    add_users(tenant, {"sato": "surveyor"})
    sato = _token_client(tenant, tenant.user("sato"), "pw-sato-123")
    reply = admin.post(f"/admin/users/{tenant.user('sato')}/password",
                       json={"password": "new-secret-456"})
    assert reply.status_code == 200 and reply.json()["result"] == "password_reset"
    assert sato.get("/me").status_code == 401
    assert _login(tenant, tenant.user("sato"), "pw-sato-123").status_code == 401
    assert _login(tenant, tenant.user("sato"), "new-secret-456").status_code == 200
    assert "new-secret-456" not in tenant.server.log_text()


def test_an_admin_acts_only_on_their_own_municipality(tenant):
    other = new_tenant(tenant.server)
    add_users(other, {"sato": "surveyor"})
    theirs = other.user("sato")
    admin = login(tenant)
    for reply in (admin.patch(f"/admin/users/{theirs}", json={"active": False}),
                  admin.post(f"/admin/users/{theirs}/password", json={"password": "x" * 12}),
                  admin.patch(f"/admin/users/{other.admin}", json={"active": False})):
        assert reply.status_code == 404 and reply.json()["error"] == "user_not_found"
    listed = {u["username"] for u in admin.get("/admin/users").json()["users"]}
    assert theirs not in listed and other.admin not in listed
    added = admin.post("/admin/users", json={"username": tenant.user("new"),
                                             "password": "pw-new-1234", "role": "office"})
    assert added.json()["municipality_code"] == tenant.code
    assert _login(other, theirs, "pw-sato-123").status_code == 200  # untouched
    own = admin.patch(f"/admin/users/{tenant.admin}", json={"active": False})
    assert own.status_code == 409 and own.json()["error"] == "own_account"


def test_surveyors_and_office_staff_cannot_use_the_admin_endpoints(tenant):
    staff = staffed(tenant)
    target = tenant.user("suzuki")
    for who in ("sato", "office"):
        client = staff[who]
        for reply in (client.get("/admin/users"),
                      client.post("/admin/users", json={"username": "x-" + tenant.code,
                                                        "password": "12345678",
                                                        "role": "admin"}),
                      client.patch(f"/admin/users/{target}", json={"active": False}),
                      client.post(f"/admin/users/{target}/password",
                                  json={"password": "12345678"})):
            assert reply.status_code == 403 and reply.json()["error"] == "forbidden_role"
    assert staff["suzuki"].get("/me").status_code == 200


def _cli(server, *argv: str, password: str | None = None) -> subprocess.CompletedProcess:
    """`survey-app users …` exactly as an administrator types it (the real entry point)."""
    cmd = [sys.executable, "-m", "survey_app", "users", *argv, "--db", server.db_url,
           "--data", str(server.data_dir)]
    env = {**os.environ, **TEST_ENV, "SURVEY_APP_LANG": "ja"}
    return subprocess.run(cmd, input=None if password is None else password + "\n", text=True,
                          capture_output=True, cwd=REPO, env=env, timeout=60)


def test_the_users_command_end_to_end(tenant):
    server, code, name = tenant.server, tenant.code, tenant.user("lent")
    until = (_today() + dt.timedelta(days=60)).isoformat()
    added = _cli(server, "add", "--municipality", code, "--username", name, "--role",
                 "surveyor", "--until", until, "--home", "仙台市", password="lent-pass-123")
    assert added.returncode == 0, added.stderr
    assert name in added.stdout and until in added.stdout
    assert "lent-pass-123" not in added.stdout + added.stderr
    listed = json.loads(_cli(server, "list", "--municipality", code, "--json").stdout)
    [row] = [u for u in listed if u["username"] == name]
    assert (row["valid_until"], row["home_municipality"], row["state"]) == \
        (until, "仙台市", "active")
    lent = _token_client(tenant, name, "lent-pass-123")
    done = _cli(server, "disable", "--municipality", code, "--username", name)
    assert done.returncode == 0 and "無効にしました" in done.stdout
    assert lent.get("/me").json()["error"] == "account_disabled"  # another process did it
    assert _login(tenant, name, "lent-pass-123").status_code == 401
    table = _cli(server, "list", "--municipality", code).stdout
    assert any(name in line and "無効" in line for line in table.splitlines())
    assert _cli(server, "enable", "--municipality", code, "--username", name,
                "--no-expiry").returncode == 0
    assert _login(tenant, name, "lent-pass-123").status_code == 200
    lent = _token_client(tenant, name, "lent-pass-123")
    reset = _cli(server, "reset-password", "--municipality", code, "--username", name,
                 password="other-pass-456")
    assert reset.returncode == 0, reset.stderr
    assert lent.get("/me").status_code == 401
    assert _login(tenant, name, "other-pass-456").status_code == 200


def test_the_users_command_explains_what_is_wrong(tenant):
    server, code = tenant.server, tenant.code
    other = new_tenant(server)
    cases = [
        (("disable", "--municipality", code, "--username", other.admin), None, "いません"),
        (("add", "--municipality", code, "--username", tenant.user("a"), "--role", "office"),
         "short", "8 文字以上"),
        (("add", "--municipality", code, "--username", tenant.user("b"), "--role", "office",
          "--until", "2020-01-01"), "long-enough-1", "既に過ぎています"),
        (("add", "--municipality", code, "--username", tenant.user("c"), "--role", "office",
          "--until", "12/31"), "long-enough-1", "日付が正しくありません"),
        (("add", "--municipality", code, "--username", tenant.admin, "--role", "office"),
         "long-enough-1", "既に存在します"),
        (("add", "--municipality", "nowhere", "--username", "x-" + code, "--role", "office"),
         "long-enough-1", "create-admin"),
    ]
    for argv, password, message in cases:
        done = _cli(server, *argv, password=password)
        assert done.returncode == 2 and message in done.stderr, (argv, done.stderr)
    assert _login(other, other.admin, other.password).status_code == 200


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_keeps_existing_users(backend, tmp_path):
    """A server made before lent accounts existed gains them on its next start."""
    url = pg_create() if backend == "postgresql" else f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url, pool_size=1)
    try:
        first, rest = MIGRATIONS[:1], MIGRATIONS[1:]
        MIGRATIONS[:] = first
        try:
            apply_migrations(db)
        finally:
            MIGRATIONS[:] = first + rest
        with db.write() as conn:
            conn.execute("INSERT INTO municipalities (code, name, created_at) VALUES ('m', '',"
                         " 'now')")
            conn.execute("INSERT INTO users (id, username, municipality_code, role,"
                         " password_hash, created_at) VALUES ('u', 'old', 'm', 'admin', 'h',"
                         " 'now')")
        assert apply_migrations(db) == [name for name, _ in rest]
        with db.read() as conn:
            row = conn.one("SELECT active, valid_until, home_municipality FROM users")
        assert row == {"active": 1, "valid_until": None, "home_municipality": ""}
    finally:
        db.close()
        if backend == "postgresql":
            pg_drop(url)


def test_the_token_cache_never_outlives_a_revocation_or_the_last_day():
    import time

    cache = TokenCache(ttl=60)
    user = User("u", "sato", "surveyor", "m")
    cache.put("d", user, cache.epoch(), ends_at=time.time() + 3600)
    assert cache.get("d") == user
    cache.revoked()
    assert cache.get("d") is None
    cache.put("e", user, cache.epoch(), ends_at=time.time() - 1)  # the last day is over
    assert cache.get("e") is None
    stale = cache.epoch()
    cache.revoked()
    cache.put("f", user, stale, ends_at=time.time() + 3600)  # checked before the revocation
    assert cache.get("f") is None


def test_the_command_line_passes_every_flag_to_the_server():
    import argparse

    from survey_app.cli import serve_cmd

    parser = argparse.ArgumentParser()
    serve_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["users", "enable", "--municipality", "172049", "--username", "u",
                              "--no-expiry", "--db", "postgresql://h/db"])
    assert serve_cmd.server_argv(args) == [
        "users", "enable", "--db", "postgresql://h/db", "--municipality", "172049",
        "--username", "u", "--no-expiry"]
    args = parser.parse_args(["serve", "--forwarded-allow-ips", "10.0.0.5", "--workers", "2"])
    assert serve_cmd.server_argv(args) == ["serve", "--host", "127.0.0.1", "--port", "8765",
                                           "--workers", "2", "--forwarded-allow-ips", "10.0.0.5"]
