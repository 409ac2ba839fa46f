"""Pushing: photos first, records last. The photos the server lacks go up (small ones in
verified batches, large ones in resumable chunks); then the records, in batches the server
answers item by item. Only acknowledged entries leave the outbox."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from survey_app.i18n import tr
from survey_app.services.sync.apply import guarded, put_building
from survey_app.services.sync.outbox import Entry, Outbox
from survey_app.services.sync.pull import PAGE, cursor_key, get_cursor
from survey_app.services.sync.state import ProgressBoard
from survey_app.services.workspace import Workspace
from survey_app.sync.client import SyncClient
from survey_app.sync.errors import server_message
from survey_app.sync.protocol import MAX_BATCH_FILES, MAX_PUSH_ITEMS, SMALL_BLOB

log = logging.getLogger("survey_app.sync")
# Small requests get through a weak link; a cut costs one of them, not the whole sync.
BATCH_BYTES = 1 << 20
UPLOADS_IN_FLIGHT = 3
ITEMS_BYTES = 512 << 10
_OK = {"created", "updated", "already", "merged", "conflict"}


@dataclass
class PushReport:
    sent: int = 0
    failed: int = 0
    photos: int = 0
    resumed_chunks: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # (cursor, reply): the first page of changes after the cursor, brought by the last push
    page: tuple[int, dict] | None = None


class Pusher:
    def __init__(self, ws: Workspace, client: SyncClient, board: ProgressBoard) -> None:
        self.ws, self.client, self.board = ws, client, board
        self.outbox = Outbox(ws.store)
        self.report = PushReport()

    def run(self) -> PushReport:
        work: list[tuple[Entry, dict]] = []
        gone: list[Entry] = []
        for entry, item in self.outbox.items(self.outbox.entries()):
            (gone.append(entry) if item is None else work.append((entry, item)))
        self.outbox.ack(gone)
        if not work:
            return self.report
        self.board.update(phase="photos", records_total=len(work))
        self.upload_photos(_photos_needed(work))
        self.board.update(phase="records")
        retry = self.push_records(work)
        if retry:  # photos the server said it lacked: send them, then the items once more
            self.upload_photos(_photos_needed(retry))
            self.push_records(retry, final=True)
        return self.report

    # -- photos -----------------------------------------------------------------------------

    def upload_photos(self, needed: dict[str, set[str]]) -> None:
        if not needed:
            return
        missing = self.client.missing_blobs(sorted(needed))
        local = {s for s in missing if self.ws.blobs.has(s)}
        for sha in sorted(missing - local):
            self._fail_surveys(needed[sha], "photo_missing", tr("sync.photo_missing_local",
                                                                 sha=sha[:12]))
        per_survey = defaultdict(list)
        for sha in local:
            for sid in needed[sha]:
                per_survey[sid].append(sha)
        done: dict[str, int] = defaultdict(int)
        for sid, shas in per_survey.items():
            self.board.sending(sid, 0, len(shas))
        sizes = {s: self.ws.blobs.path_for(s).stat().st_size for s in local}
        self.board.add(photos_total=len(local), bytes_total=sum(sizes.values()))

        def send(group: list[str]) -> tuple[list[str], set[str], int]:
            return (group, *self._upload_group(group, sizes))

        try:
            for group, damaged, resumed in _in_flight(send, list(_groups(sorted(local), sizes))):
                self.report.resumed_chunks += resumed
                self.report.photos += len(group) - len(damaged)
                for sha in damaged:  # the server found bytes not matching: our copy
                    self._fail_surveys(self._surveys_of(sha), "photo_damaged",
                                       tr("sync.photo_damaged", sha=sha[:12]))
                for sha in group:
                    for sid in needed[sha]:
                        done[sid] += 1
                        self.board.sending(sid, done[sid], len(per_survey[sid]))
        finally:
            self.board.sent(per_survey)

    def _upload_group(self, group: list[str], sizes: dict[str, int]) -> tuple[set[str], int]:
        """Send one group (on a worker thread: HTTP and files only, no store);
        returns (shas the server refused as damaged, chunks it already had)."""
        if len(group) == 1 and sizes[group[0]] > SMALL_BLOB:
            sha = group[0]
            resumed = self.client.upload_file(self.ws.blobs.path_for(sha), sha, sizes[sha],
                                              on_bytes=lambda n: self.board.add(bytes_done=n))
            self.board.add(photos_done=1)
            return set(), resumed
        batch = [(sha, self.ws.blobs.path_for(sha).read_bytes()) for sha in group]
        results = self.client.upload_batch(batch)
        self.board.add(photos_done=len(batch), bytes_done=sum(len(d) for _, d in batch))
        return {sha for sha, _ in batch if results.get(sha) == "rejected"}, 0

    def _surveys_of(self, sha: str) -> set[str]:
        return {r[0] for r in self.ws.store.db.execute(
            "SELECT survey_id FROM survey_photos WHERE sha256 = ?", [sha])}

    def _fail_surveys(self, survey_ids: set[str], code: str, message: str) -> None:
        self.outbox.fail_surveys(survey_ids, code, message)

    # -- records ----------------------------------------------------------------------------

    def push_records(self, work: list[tuple[Entry, dict]], *, final: bool = False
                     ) -> list[tuple[Entry, dict]]:
        retry: list[tuple[Entry, dict]] = []
        batches = list(_record_batches(work))
        for n, batch in enumerate(batches):
            results = self._send(batch, last=n == len(batches) - 1)
            ok: list[Entry] = []
            settle: list[tuple[Entry, dict, dict]] = []
            for (entry, item), result in zip(batch, results, strict=True):
                outcome = result["result"]
                self.report.outcomes[outcome] += 1
                if outcome in _OK:
                    ok.append(entry)
                    if entry.kind == "building" and isinstance(result.get("fields"), dict):
                        settle.append((entry, item, result["fields"]))
                elif outcome == "gone":
                    self._drop_link(entry)
                    ok.append(entry)
                elif result.get("code") == "missing_blobs" and not final:
                    retry.append((entry, item))
                else:
                    self._reject(entry, result)
            self._settle_buildings(settle)
            self.outbox.ack(ok)
            self.report.sent += len(ok)
            self.board.add(records_done=len(batch))
        return retry

    def _send(self, batch: list[tuple[Entry, dict]], *, last: bool) -> list[dict]:
        """The last batch also asks for the first page the pull will want (one request fewer
        per sync). A later push (photos it lacked) asks again; that page replaces this one."""
        items = [item for _, item in batch]
        if not last:
            return self.client.push(items)
        since = get_cursor(self.ws, cursor_key(self.client))
        results, page = self.client.push_and_pull(items, since, PAGE)
        self.report.page = None if page is None else (since, page)
        return results

    def _reject(self, entry: Entry, result: dict) -> None:
        """The user reads a plain sentence for the code; the code and the server's English
        detail go to the outbox (support bundle) and the log."""
        self.report.failed += 1
        code = str(result.get("code", "rejected"))[:40]
        detail = str(result.get("detail", ""))[:200]
        log.info("push refused: %s %s: %s %s", entry.kind, entry.entity_id, code, detail)
        self.outbox.fail(entry, code, server_message(code), detail=detail)

    def _settle_buildings(self, settle: list[tuple[Entry, dict, dict]]) -> None:
        """Take the server's merged fields (and remember them as the base of the next edit),
        unless a building changed again while it was being sent."""
        if not settle:
            return
        with guarded(self.ws.store):
            for entry, item, fields in settle:
                still = self.ws.store.db.execute("SELECT gen FROM sync_outbox WHERE seq = ?",
                                                 [entry.seq]).fetchone()
                if still is None or still[0] == entry.gen:
                    put_building(self.ws.store, {"id": entry.entity_id, "fields": fields,
                                                 "disaster_id": item["disaster_id"]})

    def _drop_link(self, entry: Entry) -> None:
        sid, sha = entry.entity_id.split(":", 1)
        with guarded(self.ws.store):
            self.ws.store.db.execute("DELETE FROM survey_photos WHERE survey_id = ? AND"
                                     " sha256 = ?", [sid, sha])


def _in_flight(send: Callable[[list[str]], tuple], groups: list[list[str]]) -> Iterator[tuple]:
    """The groups' results, in order. A few requests in flight keep the link busy while the
    server flushes files; one group (the usual few photos) goes on this thread, without the
    cost of starting workers. The store is touched only by the caller, on the sync thread."""
    if len(groups) <= 1:
        yield from map(send, groups)
        return
    with ThreadPoolExecutor(UPLOADS_IN_FLIGHT) as pool:
        yield from pool.map(send, groups)


def _photos_needed(work: list[tuple[Entry, dict]]) -> dict[str, set[str]]:
    needed: dict[str, set[str]] = defaultdict(set)
    for _, item in work:
        if item["kind"] == "photo_link":
            needed[item["sha256"]].add(item["survey_id"])
        elif item["kind"] == "version":
            for sha in item["photos"]:
                needed[sha].add(item["survey_id"])
    return needed


def _groups(shas: list[str], sizes: dict[str, int]) -> Iterator[list[str]]:
    """Large photos alone (chunked); small ones together up to the batch limits."""
    group: list[str] = []
    total = 0
    for sha in shas:
        if sizes[sha] > SMALL_BLOB:
            yield [sha]
            continue
        if group and (len(group) >= MAX_BATCH_FILES or total + sizes[sha] > BATCH_BYTES):
            yield group
            group, total = [], 0
        group.append(sha)
        total += sizes[sha]
    if group:
        yield group


def _record_batches(work: list[tuple[Entry, dict]]) -> Iterator[list[tuple[Entry, dict]]]:
    batch: list[tuple[Entry, dict]] = []
    size = 0
    for pair in work:
        n = len(json.dumps(pair[1], ensure_ascii=False).encode()) + 2
        if batch and (len(batch) >= MAX_PUSH_ITEMS or size + n > ITEMS_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(pair)
        size += n
    if batch:
        yield batch
