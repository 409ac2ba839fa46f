"""Background operations: every database and file access runs off the GUI thread.

Four lanes, each a single-worker executor (Anki's taskman, datasette's write thread):
- `write`: owns the workspace (one connection) and is the only lane that writes: one writer.
- `read`: owns a second connection to the same store; under WAL it sees committed data and never
  waits behind an import or an autosave.
- `list`: the survey list's pages and counts, on a third connection that can be interrupted
  when the filter changes, so a stale count over 200,000 rows never delays the next keystroke.
- `files`: work that needs no store (decoding a photo, downloading tiles).

`op` callables run on the worker: they must never touch a widget (that may crash Qt). Their
result or exception is delivered on the GUI thread to `success` / `failure`. If `owner` (a
QObject) has been deleted by then, the callbacks are skipped.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from survey_app.services.errors import user_message

if TYPE_CHECKING:
    from survey_app.services.workspace import Workspace

log = logging.getLogger(__name__)
Callback = Callable[[Any], None]


class _Lane:
    def __init__(self, name: str, home: Path | None, actor: str) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"ops-{name}")
        self._home = home
        self._actor = actor
        self._ws: Workspace | None = None  # created and used only on the lane's thread

    def workspace(self) -> Workspace:
        if self._ws is None:
            # Imported here, on the worker: sqlite-utils and the store take a while to import,
            # and the window should not wait for them.
            from survey_app.services.workspace import Workspace

            assert self._home is not None
            self._ws = Workspace(self._home, actor=self._actor)
        return self._ws

    def close(self) -> None:
        def _close() -> None:
            if self._ws is not None:
                self._ws.close()
                self._ws = None

        self.executor.submit(_close)
        self.executor.shutdown(wait=True)


class Progress(QObject):
    """Carries (done, total) from a worker to the GUI thread; create it on the GUI thread."""

    changed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()

    def report(self, done: int, total: int) -> None:  # called on the worker
        self.changed.emit(done, total)

    def cancelled(self) -> bool:  # called on the worker
        return self.cancel_event.is_set()

    def cancel(self) -> None:
        self.cancel_event.set()


class Ops(QObject):
    busy_changed = Signal(bool)
    failed = Signal(str)  # an unhandled failure's message, for the window's status line
    _done = Signal(object)

    def __init__(self, home: Path, *, actor: str = "local", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.actor = actor
        self._lanes = {"write": _Lane("write", self.home, actor),
                       "read": _Lane("read", self.home, actor),
                       "list": _Lane("list", self.home, actor),
                       "files": _Lane("files", None, actor)}
        self.pending = 0
        # Callbacks wait here, on the GUI thread: were the worker's future to hold them, it
        # could drop the last reference to a parentless owner and delete it off the GUI thread.
        self._waiting: dict[int, tuple] = {}
        self._tokens = itertools.count()
        self._done.connect(self._deliver)

    def write(self, op: Callable[[Workspace], Any], **callbacks: Any) -> Future:
        """Run `op(workspace)` on the single writer."""
        lane = self._lanes["write"]
        return self._submit(lane, lambda: op(lane.workspace()), **callbacks)

    def read(self, op: Callable[[Workspace], Any], **callbacks: Any) -> Future:
        """Run `op(workspace)` on the reader (its own connection; never write through it)."""
        lane = self._lanes["read"]
        return self._submit(lane, lambda: op(lane.workspace()), **callbacks)

    def list_query(self, op: Callable[[Workspace], Any], **callbacks: Any) -> Future:
        """Run `op(workspace)` on the list lane (read only; see interrupt_list)."""
        lane = self._lanes["list"]
        return self._submit(lane, lambda: op(lane.workspace()), **callbacks)

    def interrupt_list(self) -> None:
        """Abort the list lane's running query (sqlite3 allows this from another thread)."""
        ws = self._lanes["list"]._ws
        if ws is not None:
            ws.store.db.conn.interrupt()

    def files(self, op: Callable[[], Any], **callbacks: Any) -> Future:
        return self._submit(self._lanes["files"], op, **callbacks)

    def _submit(self, lane: _Lane, call: Callable[[], Any], *, success: Callback | None = None,
                failure: Callback | None = None, owner: QObject | None = None) -> Future:
        self.pending += 1
        if self.pending == 1:
            self.busy_changed.emit(True)
        token = next(self._tokens)
        self._waiting[token] = (success, failure, owner)
        future = lane.executor.submit(call)
        future.add_done_callback(lambda f: self._done.emit((f, token)))
        return future

    @Slot(object)
    def _deliver(self, payload: tuple) -> None:
        future, token = payload
        success, failure, owner = self._waiting.pop(token)
        self.pending -= 1
        if self.pending == 0:
            self.busy_changed.emit(False)
        if owner is not None and not shiboken6.isValid(owner):
            return
        error = future.exception()
        if error is None:
            if success is not None:
                success(future.result())
        elif failure is not None:
            failure(error)
        else:
            log.error("background operation failed:\n%s", "".join(
                traceback.format_exception(error)))
            self.failed.emit(user_message(error))

    def set_actor(self, actor: str) -> None:
        """Who the audit log and new versions name from now on (each lane's own workspace)."""
        self.actor = actor
        for lane in self._lanes.values():
            lane._actor = actor
            lane.executor.submit(lambda lane=lane: lane._ws and setattr(lane._ws, "actor", actor))

    def shutdown(self) -> None:
        for lane in self._lanes.values():
            lane.close()
