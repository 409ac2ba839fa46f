"""What every request handler shares: settings, the database, password hashing, the login
limiter and the blob store. One per application, kept on `app.state.server`."""

from __future__ import annotations

from survey_app.server.auth import LoginLimiter, Passwords, TokenCache
from survey_app.server.blobs import ServerBlobs
from survey_app.server.db import Database
from survey_app.server.migrations import apply_migrations
from survey_app.server.pg_stats import StatsKeeper
from survey_app.server.revocation import Revocations
from survey_app.server.settings import Settings
from survey_app.server.uploads import purge_stale


class ServerState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.database_url, pool_size=settings.pool_size)
        apply_migrations(self.db)
        # As many as the worker threads can use at once: database handlers read and write,
        # photo uploads write (server/workers.py).
        self.db.prewarm(settings.threads, settings.threads + settings.file_threads)
        self.passwords = Passwords(settings)
        self.limiter = LoginLimiter(settings)
        self.tokens = TokenCache(revocations=Revocations(settings.database_url))
        self.blobs = ServerBlobs(settings.blob_dir)
        purge_stale(self)
        self.stats = StatsKeeper(self.db)
        self.stats.start()

    def close(self) -> None:
        self.stats.stop()
        self.tokens.close()
        self.db.close()
