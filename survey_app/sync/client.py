"""The laptop's side of the protocol as typed calls; every reply is checked before it is
returned (survey_app.sync.replies). Knows files and hashes, not the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from survey_app.i18n import tr
from survey_app.sync import replies as R
from survey_app.sync.errors import ProtocolError, RejectedError, server_message
from survey_app.sync.http import Transport
from survey_app.sync.protocol import (
    MAX_CHUNK,
    MAX_PAGE,
    MAX_SHAS_PER_QUERY,
    encode_batch,
)

BytesFn = Callable[[int], None]  # called with the number of bytes just moved
DOWNLOAD_PIECE = 64 << 10


class SyncClient:
    def __init__(self, transport: Transport, *, device_id: str = "") -> None:
        self.http = transport
        self.identity: dict = {}
        if device_id:
            self.http.headers["X-Device-Id"] = device_id

    @classmethod
    def connect(cls, base_url: str, *, device_id: str = "", **kw: Any) -> SyncClient:
        return cls(Transport(base_url, **kw), device_id=device_id)

    def close(self) -> None:
        self.http.close()

    # -- session ----------------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict:
        reply = self.http.call("POST", "/auth/login",
                               json_body={"username": username, "password": password})
        R.check(reply, R.LOGIN, "login")
        self.http.headers["Authorization"] = f"Bearer {reply['token']}"
        self.identity = {k: reply[k] for k in ("username", "role", "municipality_code")}
        return self.identity

    def resume(self, token: str, identity: dict) -> None:
        """Carry on a session this process already checked (the app stayed open while the
        network came and went): no request. A token revoked meanwhile fails the next call
        with AuthError, as any expired session does."""
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.identity = {k: identity[k] for k in ("username", "role", "municipality_code")}

    def use_token(self, token: str) -> dict:
        """Use a token kept from an earlier login; returns who it belongs to."""
        self.http.headers["Authorization"] = f"Bearer {token}"
        reply = R.check(self.http.call("GET", "/me"), R.ME, "me")
        self.identity = {k: reply[k] for k in ("username", "role", "municipality_code")}
        return self.identity

    def health(self) -> bool:
        reply = self.http.call("GET", "/health", retry=False)
        return isinstance(reply, dict) and reply.get("status") == "ok"

    # -- records ----------------------------------------------------------------------------

    def push(self, items: list[dict]) -> list[dict]:
        return self.push_and_pull(items)[0]

    def push_and_pull(self, items: list[dict], since: int | None = None, limit: int = 500
                      ) -> tuple[list[dict], dict | None]:
        """Push a batch; with `since`, the reply also brings the first page of changes after
        it, with the summary (as `changes(since, limit, summary=True)` would), checked the same
        way. The page is None from a server that does not offer this: ask GET /changes."""
        body: dict = {"items": items}
        if since is not None:
            body["pull"] = {"since": since, "limit": limit, "summary": True}
        reply = R.check(self.http.call("POST", "/push", json_body=body), R.PUSH)
        results = reply["results"]
        sent = {(i["kind"], _item_id(i)) for i in items}
        if len(results) != len(items) or any((r["kind"], r["id"]) not in sent for r in results):
            raise ProtocolError(tr("sync.bad_reply", where="push.results",
                                   expected="one result per item"))
        page = reply.get("changes") if since is not None else None
        return results, None if page is None else self._checked_page(page, since, limit)

    def changes(self, since: int, limit: int = 500, *, own: bool = False,
                summary: bool = False) -> dict:
        """A page of changes after `since`; `own` also returns this device's own changes
        (a repair pull after the end-of-sync check found something missing here);
        `summary` asks for the end-of-sync check's digests on the last page."""
        params = {"since": since, "limit": limit, **({"own": "true"} if own else {}),
                  **({"summary": "true"} if summary else {})}
        return self._checked_page(self.http.call("GET", "/changes", params=params), since,
                                  limit)

    def _checked_page(self, reply: object, since: int, limit: int) -> dict:
        R.check(reply, R.CHANGES, "changes")
        if "summary" in reply:
            self._check_summary(reply["summary"])
        if len(reply["changes"]) > min(limit, MAX_PAGE):
            raise ProtocolError(tr("sync.bad_reply", where="changes", expected=f"<= {limit}"))
        revs = [c["rev"] for c in reply["changes"]]
        stuck = reply["more"] and reply["next_since"] <= since  # would ask the same forever
        if revs != sorted(revs) or any(r <= since for r in revs) or stuck or \
                reply["next_since"] < (revs[-1] if revs else since):
            raise ProtocolError(tr("sync.bad_reply", where="changes.rev",
                                   expected="increasing revisions after the cursor"))
        for change in reply["changes"]:
            if change["data"] is not None:
                R.check(change["data"], R.ENTITY_SPECS[change["entity"]],
                        f"changes.{change['entity']}")
        return reply

    # -- blobs ------------------------------------------------------------------------------

    def missing_blobs(self, shas: list[str]) -> set[str]:
        missing: set[str] = set()
        for i in range(0, len(shas), MAX_SHAS_PER_QUERY):
            part = shas[i:i + MAX_SHAS_PER_QUERY]
            reply = R.check(self.http.call("POST", "/blobs/missing", json_body={"shas": part}),
                            R.MISSING, "missing")
            if not set(reply["missing"]) <= set(part):
                raise ProtocolError(tr("sync.bad_reply", where="missing",
                                       expected="a subset of the asked hashes"))
            missing.update(reply["missing"])
        return missing

    def upload_batch(self, items: list[tuple[str, bytes]]) -> dict[str, str]:
        """Small blobs in one request; returns {sha: stored|already|rejected}."""
        body = b"".join(encode_batch(items))
        reply = R.check(self.http.call("POST", "/blobs/batch", content=body,
                                       headers={"Content-Type": "application/octet-stream"}),
                        R.BATCH, "batch")
        return {r["sha256"]: r["result"] for r in reply["results"]}

    def upload_file(self, path: Path, sha: str, size: int, on_bytes: BytesFn | None = None
                    ) -> int:
        """Resumable chunked upload; returns how many chunks were already on the server."""
        info = self._open_upload(sha, size)
        if info["complete"]:
            return 0
        chunk = info["chunk_size"]
        if not 0 < chunk <= MAX_CHUNK:
            raise ProtocolError(tr("sync.bad_reply", where="upload.chunk_size",
                                   expected=f"1..{MAX_CHUNK}"))
        have = set(info["received"])
        with open(path, "rb") as fh:
            for n in range(max(1, -(-size // chunk))):
                fh.seek(n * chunk)
                data = fh.read(chunk)
                if n not in have:
                    self._put_chunk(info["upload_id"], n, data)
                if on_bytes:
                    on_bytes(len(data))
        self._commit(info["upload_id"], sha, size)
        return len(have)

    def _open_upload(self, sha: str, size: int) -> dict:
        reply = self.http.call("POST", "/uploads", json_body={"sha256": sha, "size": size})
        return R.check(reply, R.UPLOAD, "upload")

    def _put_chunk(self, upload_id: str, n: int, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        reply = self.http.call("PUT", f"/uploads/{upload_id}/chunks/{n}", content=data,
                               headers={"X-Chunk-SHA256": digest,
                                        "Content-Type": "application/octet-stream"})
        R.check(reply, R.CHUNK, "chunk")
        if reply["sha256"] != digest or reply["n"] != n or reply["size"] != len(data):
            raise ProtocolError(tr("sync.bad_reply", where="chunk", expected="the echo of it"))

    def _commit(self, upload_id: str, sha: str, size: int) -> None:
        reply = R.check(self.http.call("POST", f"/uploads/{upload_id}/commit"), R.COMMIT)
        if reply["sha256"] != sha or reply["size"] != size:
            raise ProtocolError(tr("sync.bad_reply", where="commit", expected=sha[:12]))

    def download_blob(self, sha: str, size: int | None, max_bytes: int,
                      on_bytes: BytesFn | None = None) -> bytes:
        """The bytes of a blob, verified against `sha` (a mismatch stores nothing). With its
        size known it comes in ranges, each retried alone, so a weak link gets through."""
        if size is None or size <= DOWNLOAD_PIECE:
            data = self.http.call("GET", f"/blobs/{sha}", raw=True, max_bytes=max_bytes)
        else:
            if size > max_bytes:
                raise ProtocolError(tr("sync.reply_too_large", limit=max_bytes))
            data = self._download_ranges(sha, size, on_bytes)
        if hashlib.sha256(data).hexdigest() != sha:
            raise ProtocolError(tr("sync.blob_mismatch", sha=sha[:12]))
        return data

    def _download_ranges(self, sha: str, size: int, on_bytes: BytesFn | None) -> bytes:
        parts: list[bytes] = []
        for start in range(0, size, DOWNLOAD_PIECE):
            end = min(size, start + DOWNLOAD_PIECE) - 1
            piece = self.http.call("GET", f"/blobs/{sha}", raw=True, max_bytes=size,
                                   headers={"Range": f"bytes={start}-{end}"})
            if start == 0 and len(piece) == size:
                return piece  # the server sent the whole file at once
            if len(piece) != end - start + 1:
                raise ProtocolError(tr("sync.bad_reply", where="blob range",
                                       expected=f"{end - start + 1} bytes"))
            parts.append(piece)
            if on_bytes:
                on_bytes(len(piece))
        return b"".join(parts)

    # -- agreement --------------------------------------------------------------------------

    def summary(self) -> dict:
        return self._check_summary(self.http.call("GET", "/sync/summary"))

    @staticmethod
    def _check_summary(reply: object) -> dict:
        R.check(reply, R.SUMMARY, "summary")
        for name, part in reply["kinds"].items():
            R.check(part, R.SUMMARY_KIND, f"summary.{name}")
        return reply

    def manifest(self, kind: str) -> dict[str, str]:
        out: dict[str, str] = {}
        after = ""
        while True:
            reply = R.check(self.http.call("GET", "/sync/manifest",
                                           params={"kind": kind, "after": after,
                                                   "limit": MAX_PAGE}), R.MANIFEST, "manifest")
            for item in reply["items"]:
                if len(item) != 2 or item[0] <= after:
                    raise ProtocolError(tr("sync.bad_reply", where="manifest",
                                           expected="[id, hash] pairs in order"))
                out[item[0]] = item[1]
                after = item[0]
            if not reply["more"] or not reply["items"]:
                return out

    def have(self, kind: str, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), MAX_SHAS_PER_QUERY):
            part = ids[i:i + MAX_SHAS_PER_QUERY]
            reply = R.check(self.http.call("POST", "/sync/have",
                                           json_body={"kind": kind, "ids": part}), R.HAVE)
            out.update({k: v for k, v in reply["have"].items()
                        if k in part and isinstance(v, str)})
        return out

    # -- the office -------------------------------------------------------------------------

    def conflicts(self, status: str = "open") -> list[dict]:
        reply = R.check(self.http.call("GET", "/conflicts", params={"status": status}),
                        R.CONFLICTS)
        return [R.check(c, R.CONFLICT, "conflict") for c in reply["conflicts"]]

    def resolve_conflict(self, conflict_id: str, body: dict) -> dict:
        reply = self.http.call("POST", f"/conflicts/{conflict_id}/resolve", json_body=body)
        return R.check(reply, R.RESOLVE, "resolve")

    def admin_add_user(self, username: str, password: str, role: str) -> dict:
        reply = self.http.call("POST", "/admin/users", json_body={
            "username": username, "password": password, "role": role})
        return R.check(reply, R.ME, "admin/users")

    def set_status(self, survey_id: str, status: str, reason: str = "") -> dict:
        results = self.push([{"kind": "status", "survey_id": survey_id, "status": status,
                              "reason": reason}])
        if results[0]["result"] == "rejected":
            code = str(results[0].get("code", ""))[:40]
            raise RejectedError(server_message(code, 409), code=code or "rejected", status=409,
                                detail=str(results[0].get("detail", ""))[:200])
        return results[0]


def _item_id(item: dict) -> str:
    if item["kind"] == "photo_link":
        return f"{item['survey_id']}:{item['sha256']}"
    if item["kind"] == "status":
        return item["survey_id"]
    return item["id"]
