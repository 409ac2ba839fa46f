"""A malformed or hostile server: garbage, huge or wrongly shaped replies, and records that
do not match their hashes. The laptop gives a clear Japanese error and stores nothing."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from survey_app.services.sync import SyncEngine
from survey_app.services.workspace import Workspace
from tests.sync.fieldwork import fast_backoff

UUID = "01a21769-5761-7a21-9e5d-c50b8970b945"
LOGIN = {"token": "t", "username": "sato", "role": "surveyor", "municipality_code": "1"}
EMPTY_PUSH = {"results": []}


class FakeServer:
    """Answers each path with a canned (status, content type, body); logs what it was asked."""

    def __init__(self, routes: dict[str, tuple[int, str, bytes]]) -> None:
        self.routes = routes
        self.asked: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                path = self.path.split("?")[0]
                owner.asked.append(path)
                status, kind, body = owner.routes.get(path, (404, "application/json", b"{}"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def js(value: object) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps(value).encode()


def changes_with(data: dict, entity: str = "version") -> tuple[int, str, bytes]:
    return js({"changes": [{"rev": 1, "entity": entity, "id": data.get("id", "x"), "op": "put",
                            "data": data}], "next_since": 1, "more": False})


BAD_VERSION = {"id": UUID, "survey_id": UUID, "base_version_id": None,
               "observations": {"外壁": 1}, "judgement": {}, "explanation": [],
               "form_hash": None, "author": "x", "reason": "", "created_at": "2024",
               "content_hash": "0" * 64}

CASES = {
    "html_login": ({"/auth/login": (200, "text/html", b"<html>proxy login page</html>")},
                   "JSON ではありません"),
    "broken_json": ({"/auth/login": (200, "application/json", b'{"token": ')},
                    "JSON として読めません"),
    "huge_reply": ({"/auth/login": (200, "application/json", b" " * (5 << 20))},
                   "大きすぎます"),
    "wrong_shape": ({"/auth/login": js({"token": 12345})}, "サーバの応答が不正です"),
    "bad_role": ({"/auth/login": js({**LOGIN, "role": "root"})}, "サーバの応答が不正です"),
    "bad_hash": ({"/auth/login": js(LOGIN), "/push": js(EMPTY_PUSH),
                  "/changes": changes_with(BAD_VERSION)}, "ハッシュと一致しません"),
    "bad_entity": ({"/auth/login": js(LOGIN),
                    "/changes": changes_with({"id": "../../etc"}, "survey")},
                   "サーバの応答が不正です"),
    "no_progress": ({"/auth/login": js(LOGIN), "/changes": js(
        {"changes": [], "next_since": 0, "more": True})}, "サーバの応答が不正です"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_reply_is_refused_and_nothing_is_stored(case, tmp_path):
    routes, expected = CASES[case]
    fake = FakeServer(routes)
    ws = Workspace(tmp_path / "laptop")
    before = ws.store.db.execute("SELECT count(*) FROM survey_versions").fetchone()[0]
    audit_before = ws.store.audit.verify().entries
    engine = SyncEngine(ws, fake.url, username="sato", password="pw",
                        backoff=fast_backoff(attempts=2))
    try:
        report = engine.sync_once()
    finally:
        engine.close()
        fake.close()
    try:
        assert not report.ok
        assert expected in report.message, report.message
        assert report.error_code == "protocol"
        assert ws.store.db.execute("SELECT count(*) FROM survey_versions").fetchone()[0] == before
        assert ws.store.db.execute("SELECT count(*) FROM surveys").fetchone()[0] == 0
        assert ws.store.audit.verify().entries == audit_before
    finally:
        ws.close()


def _sync_one_disaster(tmp_path, page_route: dict) -> tuple[object, FakeServer, Workspace]:  # noqa: ANN001
    """A laptop with one record to send, against a server whose push reply is `page_route`'s."""
    ws = Workspace(tmp_path / "laptop")
    did = ws.store.buildings.create_disaster(name="地震", hazard="earthquake",
                                             occurred_on="2024-01-01")
    results = [{"kind": "disaster", "id": did, "result": "created"}]
    fake = FakeServer({"/auth/login": js(LOGIN), "/push": js({"results": results, **page_route}),
                       "/changes": js({"changes": [], "next_since": 0, "more": False})})
    engine = SyncEngine(ws, fake.url, username="sato", password="pw",
                        backoff=fast_backoff(attempts=2))
    try:
        return engine.sync_once(), fake, ws
    finally:
        engine.close()
        fake.close()


def test_a_bad_page_riding_on_the_push_reply_is_refused_and_nothing_is_stored(tmp_path):
    bad_page = json.loads(changes_with(BAD_VERSION)[2])
    report, fake, ws = _sync_one_disaster(tmp_path, {"changes": bad_page})
    try:
        assert not report.ok and report.error_code == "protocol"
        assert "ハッシュと一致しません" in report.message, report.message
        assert ws.store.db.execute("SELECT count(*) FROM survey_versions").fetchone()[0] == 0
        cursors = ws.store.db.execute("SELECT count(*) FROM sync_meta WHERE key LIKE 'cursor|%'")
        assert cursors.fetchone()[0] == 0
    finally:
        ws.close()


def test_a_server_that_brings_no_page_with_the_push_is_asked_for_it(tmp_path):
    """An older server ignores the push's request for the first page: the laptop asks for it."""
    report, fake, ws = _sync_one_disaster(tmp_path, {})
    ws.close()
    assert fake.asked[fake.asked.index("/push") + 1] == "/changes"
