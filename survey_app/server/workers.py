"""Worker threads for blocking handlers, in two pools.

Python runs one thread at a time. Threads beyond what the CPU and the database can serve at
once only queue for the interpreter lock, and every extra hand-off costs kernel time. Under a
burst of a hundred laptops, 100 handler threads made the server slower than 4 did. Database
handlers therefore get a few threads (`Settings.threads`, the default limiter that FastAPI
uses for every sync route).

Requests that wait on the disk (photo batches, chunks, commits) get their own pool
(`Settings.file_threads`). A cheap request then never queues behind a hundred photo uploads
waiting for their flushes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request

from survey_app.server.settings import Settings

T = TypeVar("T")


def configure(app_state: Any, settings: Settings) -> None:  # noqa: ANN401 - Starlette State
    """In the app's lifespan (inside the event loop: limiters belong to it)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
    app_state.file_limiter = anyio.CapacityLimiter(settings.file_threads)


async def on_file_thread(request: Request, fn: Callable[..., T], *args: object) -> T:
    """Run `fn(*args)` on a thread of the file pool."""
    state = request.app.state
    if getattr(state, "file_limiter", None) is None:  # an app run without its lifespan
        state.file_limiter = anyio.CapacityLimiter(state.server.settings.file_threads)
    return await anyio.to_thread.run_sync(lambda: fn(*args), limiter=state.file_limiter)
